import re

import pytest
from django.urls import reverse

from accounts.models import User


def signup(client, **overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Lefèvre",
        "email": "Claire.Lefevre@Example.org",
        "preferred_language": "fr",
        "password1": "un-mot-de-passe-solide-42",
        "password2": "un-mot-de-passe-solide-42",
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm/[^\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_signup_creates_an_inactive_account_and_emails_a_confirmation_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup-sent")
    user = User.objects.get()
    assert user.email == "claire.lefevre@example.org"
    assert not user.is_active
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["claire.lefevre@example.org"]
    assert message.subject == "Confirmez votre adresse électronique"
    assert message.alternatives[0][1] == "text/html"
    assert "/accounts/confirm/" in message.body


@pytest.mark.django_db
def test_the_confirmation_link_activates_the_account_once(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = confirmation_link(mailoutbox[0])

    response = client.get(link)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    user = User.objects.get()
    assert user.is_active and user.email_confirmed_at is not None
    assert client.get(link).status_code == 400


@pytest.mark.django_db
def test_an_unconfirmed_account_cannot_log_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)

    response = client.post(
        reverse("accounts:login"), {"username": "claire.lefevre@example.org", "password": "un-mot-de-passe-solide-42"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_tampered_link_is_refused(client, alice):
    response = client.get(reverse("accounts:confirm-email", kwargs={"uidb64": "MQ", "token": "abc-123"}))
    assert response.status_code == 400
    assert "ne fonctionne pas" in response.content.decode()


@pytest.mark.django_db
def test_signup_refuses_an_address_already_used_whatever_its_case(client, alice, mailoutbox):
    response = signup(client, email="ALICE@example.org")

    assert response.status_code == 200
    assert "Un compte utilise déjà cette adresse" in response.content.decode()
    assert User.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_signup_keeps_what_was_typed_when_passwords_differ(client):
    response = signup(client, password2="autre-chose-99")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Claire"' in body
    assert "Les deux mots de passe ne correspondent pas" in body
    assert not User.objects.exists()
