import re

import pytest
from django.urls import reverse


def fail_login(client, email, times):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": email, "password": "wrong-password"})


@pytest.mark.django_db
def test_an_account_is_locked_after_five_failures_whatever_the_case_typed(client, alice, password):
    fail_login(client, "alice@example.org", 3)
    fail_login(client, "ALICE@example.org", 2)

    response = client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": password})

    assert response.status_code == 429
    body = response.content.decode()
    assert "Compte temporairement bloqué" in body
    assert reverse("accounts:password-reset") in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_is_per_account_not_per_address(client, alice, bob, password):
    fail_login(client, "alice@example.org", 5)

    response = client.post(reverse("accounts:login"), {"username": "bob@example.org", "password": password})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, alice, password):
    fail_login(client, "alice@example.org", 4)
    response = client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_password_reset_unlocks_the_account(client, alice, mailoutbox, django_capture_on_commit_callbacks):
    fail_login(client, "alice@example.org", 5)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": "alice@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "tout-nouveau-secret-77", "new_password2": "tout-nouveau-secret-77"})

    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": "tout-nouveau-secret-77"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
