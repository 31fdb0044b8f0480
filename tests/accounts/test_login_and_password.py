import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_with_email_any_case_opens_the_portal(client, alice, password):
    response = client.post(reverse("accounts:login"), {"username": "Alice@Example.org", "password": password})

    assert response.status_code == 302
    assert response.url == reverse("portal")


@pytest.mark.django_db
def test_a_wrong_password_says_what_to_check(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": "nope"})

    assert response.status_code == 200
    assert "adresse électronique ou le mot de passe est faux" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post(alice_client):
    assert alice_client.get(reverse("accounts:logout")).status_code == 405
    response = alice_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in alice_client.session


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Choisissez un nouveau mot de passe"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)

    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "tout-nouveau-secret-77", "new_password2": "tout-nouveau-secret-77"}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("tout-nouveau-secret-77")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mailoutbox == []
