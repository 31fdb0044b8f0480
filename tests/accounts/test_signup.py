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

    response = client.post(link)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    user = User.objects.get()
    assert user.is_active and user.email_confirmed_at is not None
    assert client.get(link).status_code == 400


@pytest.mark.django_db
def test_opening_the_link_activates_nothing_until_the_button_is_pressed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = confirmation_link(mailoutbox[0])

    page = client.get(link)

    assert page.status_code == 200
    assert 'method="post"' in page.content.decode() and "Confirmer mon adresse" in page.content.decode()
    user = User.objects.get()
    assert not user.is_active and user.email_confirmed_at is None
    client.post(link)
    user.refresh_from_db()
    assert user.is_active


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
def test_signup_with_a_confirmed_address_answers_as_any_signup_and_tells_only_its_owner(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = signup(client, email="ALICE@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        free = signup(client, email="nouvelle@example.org")

    assert taken.status_code == free.status_code == 302 and taken.url == free.url == reverse("accounts:signup-sent")
    assert User.objects.filter(email="alice@example.org").get() == alice
    alice.refresh_from_db()
    assert alice.is_active and alice.check_password("correct-horse-battery-staple")
    to_alice = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert "/accounts/confirm/" not in to_alice.body and "/accounts/password/reset/" in to_alice.body


@pytest.mark.django_db
def test_an_unconfirmed_account_no_longer_squats_the_address(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(
            client,
            first_name="Squatteur",
            email="victime@example.org",
            password1="pirate-pirate-77",
            password2="pirate-pirate-77",
        )
    squatter_link = confirmation_link(mailoutbox[-1])

    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email="Victime@example.org")

    assert response.status_code == 302
    owner = User.objects.get(email="victime@example.org")
    assert owner.first_name == "Claire" and not owner.is_active
    # The first link no longer opens anything; the new one confirms the owner's account.
    assert client.get(squatter_link).status_code == 400
    client.post(confirmation_link(mailoutbox[-1]))
    owner.refresh_from_db()
    assert owner.is_active and owner.check_password("un-mot-de-passe-solide-42")


@pytest.mark.django_db
def test_the_owners_password_reset_confirms_an_unconfirmed_account(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="victime@example.org", password1="pirate-pirate-77", password2="pirate-pirate-77")
        reset = client.post(reverse("accounts:password-reset"), {"email": "victime@example.org"})
        unknown = client.post(reverse("accounts:password-reset"), {"email": "personne@example.org"})
    assert reset.status_code == unknown.status_code == 302 and reset.url == unknown.url

    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", mailoutbox[-1].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "le-vrai-mot-de-passe-9", "new_password2": "le-vrai-mot-de-passe-9"})

    owner = User.objects.get(email="victime@example.org")
    assert owner.is_active and owner.email_confirmed_at and owner.check_password("le-vrai-mot-de-passe-9")


@pytest.mark.django_db
def test_signup_keeps_what_was_typed_when_passwords_differ(client):
    response = signup(client, password2="autre-chose-99")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Claire"' in body
    assert "Les deux mots de passe ne correspondent pas" in body
    assert not User.objects.exists()
