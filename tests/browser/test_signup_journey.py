"""A newcomer signs up, confirms by the emailed link, logs in and reaches the portal, in French."""

import re

import pytest
from django.core import mail

from accounts.models import User


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signup_confirm_login_portal_in_french(page, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []

    page.goto("/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Prénom").fill("Claire")
    page.locator("#id_last_name").fill("Lefèvre")
    page.get_by_label("Adresse électronique").fill("claire@example.org")
    page.locator("#id_password1").fill("un-mot-de-passe-solide-42")
    page.locator("#id_password2").fill("un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Créer mon compte").click()

    page.get_by_role("heading", name="Confirmez votre adresse électronique").wait_for()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    page.get_by_role("button", name="Confirmer mon adresse").click()
    page.get_by_text("Votre adresse électronique est confirmée").wait_for()
    page.get_by_label("Adresse électronique").fill("claire@example.org")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("heading", name="Bonjour Claire").wait_for()
    assert page.url.endswith("/portal/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Mon projet d'installation").is_visible()
    assert User.objects.get(email="claire@example.org").is_active
