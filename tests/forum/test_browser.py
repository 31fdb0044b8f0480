"""Browser journeys: a visitor registers from a phone and gets the ticket; staff check them in; axe finds nothing."""

import pytest
from django.core import mail

from forum.models import Attendee
from tests.conftest import axe_violations, browser_login
from tests.factories import PASSWORD
from tests.forum.factories import make_edition, make_registration, make_talk, make_workshop


@pytest.fixture
def forum_edition(db):
    edition = make_edition()
    make_talk(edition, title="Vivre et travailler au pays")
    make_workshop(edition, title="Créer son activité", capacity=12)
    make_workshop(edition, title="Télétravail salarié", start=(16, 0), end=(17, 0), capacity=8)
    return edition


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_registers_from_a_phone_gets_the_ticket_and_staff_check_them_in(
    phone_page, forum_edition, forum_organiser, settings
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    page = phone_page

    page.goto("/forum/")
    page.locator("#id_first_name").fill("Claire")
    page.locator("#id_last_name").fill("Lefèvre")
    page.get_by_label("Adresse électronique").first.fill("claire@example.org")
    page.get_by_label("Vous êtes").select_option("teleworker")
    page.get_by_label("D'où venez-vous").fill("Lyon")
    page.get_by_label("Créer son activité").check()
    page.get_by_label("J'accepte que mes données").check()
    page.get_by_role("button", name="Envoyer mon inscription").click()

    page.get_by_role("heading", name="Mon inscription au forum").wait_for()
    assert page.get_by_role("img", name="QR code du billet").is_visible()
    assert len(mail.outbox) == 1
    ticket = mail.outbox[0]
    assert ticket.to == ["claire@example.org"]
    assert any(mimetype == "image/png" for _n, _c, mimetype in ticket.attachments)
    attendee = Attendee.objects.get()
    assert attendee.code in ticket.body

    staff = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="fr-FR", base_url=page.url.split("/forum/")[0]
    )
    staff_page = staff.new_page()
    browser_login(staff_page, forum_organiser.email, PASSWORD)
    staff_page.goto("/forum/staff/check-in/")
    staff_page.get_by_role("textbox", name="Code du billet").fill(attendee.code.lower())
    staff_page.get_by_role("button", name="Enregistrer l'arrivée", exact=True).click()
    staff_page.get_by_text("Arrivée de Claire Lefèvre enregistrée").wait_for()
    staff.close()

    attendee.refresh_from_db()
    assert attendee.checked_in_at is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_accessibility_violation_on_the_forum_pages(chromium, live_server, forum_edition):
    registration = make_registration(forum_edition, people=2, workshops=[forum_edition.workshops.first()])
    context = chromium.new_context(locale="fr-FR", base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    try:
        for path in ["/forum/", "/forum/programme/", registration.get_absolute_url(), "/forum/link/"]:
            page.goto(path)
            assert axe_violations(page) == []
        # The form with errors shown (summary, invalid fields) must pass too.
        page.goto("/forum/")
        page.get_by_role("button", name="Envoyer mon inscription").click()
        page.get_by_text("Votre inscription n'est pas encore enregistrée").wait_for()
        assert axe_violations(page) == []
    finally:
        context.close()
