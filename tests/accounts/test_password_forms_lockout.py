"""The forms that ask a signed-in person for their current password count wrong ones with the login's
failures (django-axes): a stolen session cannot use them as an unlimited password oracle."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.test_lockout import fail_login


def fail_deletion(client, times):
    for _ in range(times):
        client.post(reverse("accounts:delete"), {"password": "wrong-password"})


def change_password(client, old_password):
    new = "tout-nouveau-secret-77"
    return client.post(
        reverse("accounts:password-change"),
        {"old_password": old_password, "new_password1": new, "new_password2": new},
    )


@pytest.mark.django_db
def test_five_wrong_passwords_on_the_deletion_form_lock_it_even_with_the_right_one(alice_client, alice, password):
    fail_deletion(alice_client, 5)

    response = alice_client.post(reverse("accounts:delete"), {"password": password})

    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()
    assert alice.__class__.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_four_wrong_passwords_on_the_deletion_form_do_not_lock_it(alice_client, alice, password):
    fail_deletion(alice_client, 4)

    response = alice_client.post(reverse("accounts:delete"), {"password": password})

    assert response.status_code == 302
    assert not alice.__class__.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_deletion_failures_lock_the_login_too(alice_client, client, alice, password):
    fail_deletion(alice_client, 5)
    alice_client.logout()

    response = client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": password})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_failures_and_deletion_failures_add_up(alice_client, alice, password):
    fail_login(Client(), "alice@example.org", 3)
    fail_deletion(alice_client, 2)

    response = alice_client.post(reverse("accounts:delete"), {"password": password})

    assert response.status_code == 429
    assert alice.__class__.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_another_account_is_not_locked_by_alices_failures(alice_client, client, bob, password):
    fail_deletion(alice_client, 5)
    client.force_login(bob)

    response = client.post(reverse("accounts:delete"), {"password": password})

    assert response.status_code == 302
    assert not bob.__class__.objects.filter(pk=bob.pk).exists()


@pytest.mark.django_db
def test_the_password_change_form_counts_its_failures_too(alice_client, alice, password):
    for _ in range(4):
        assert change_password(alice_client, "wrong-password").status_code == 200
    assert change_password(alice_client, "wrong-password").status_code == 429

    response = change_password(alice_client, password)

    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(password)


@pytest.mark.django_db
def test_the_password_change_form_still_changes_the_password(alice_client, alice, password):
    response = change_password(alice_client, password)

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("tout-nouveau-secret-77")
