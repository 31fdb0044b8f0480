"""A housing officer runs a committee for a unit; the applicant sees the decision and its reasons in the portal."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from committees.models import Decision
from housing.scoring import run_scoring
from tests.committees.factories import make_committee, make_meeting
from tests.conftest import axe_violations, browser_login
from tests.factories import make_staff, make_user
from tests.housing.factories import make_application, make_grid, make_unit

REASON = "Projet de fromagerie abouti à Condat, foyer sans logement stable."


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_runs_a_committee_and_the_applicant_reads_the_decision(page, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    make_grid()
    unit = make_unit(name="Passerelle du Moulin")
    amina = make_user("amina@example.org", first_name="Amina", last_name="Benali")
    application = make_application(amina, housing_situation="none")
    make_application(make_user(first_name="Pierre", last_name="Garnier"))
    run_scoring()
    meeting = make_meeting(make_committee(voting=3))
    officer = make_staff("housing_officer", first_name="Hélène", last_name="Chassang")

    browser_login(page, officer.email)
    page.goto(f"/housing/staff/meetings/{meeting.pk}/")
    page.get_by_label("Logement à attribuer").select_option(value=str(unit.pk))
    page.get_by_role("button", name="Ajouter le logement avec ses candidats classés").click()

    page.get_by_role("heading", name="Attribution de Passerelle du Moulin").wait_for()
    # Sent without the reasons: the errors come back tied to their fields, and the page stays accessible.
    page.get_by_role("button", name="Enregistrer les décisions de la commission").click()
    reason = page.locator("fieldset").first.get_by_label("Motif (envoyé au demandeur)")
    reason.wait_for()
    assert reason.get_attribute("aria-invalid") == "true"
    assert page.locator("#" + reason.get_attribute("aria-describedby")).inner_text() == "Ce champ est obligatoire."
    assert_accessible(page)
    first = page.locator("fieldset").first
    assert "Amina Benali" in first.locator("legend").inner_text()
    assert first.get_by_label("Décision").input_value() == "accepted"
    first.get_by_label("Motif (envoyé au demandeur)").fill(REASON)
    second = page.locator("fieldset").nth(1)
    second.get_by_label("Décision").select_option("accepted")
    second.get_by_label("Rang").fill("2")
    second.get_by_label("Motif (envoyé au demandeur)").fill("Rang de réserve.")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer les décisions de la commission").click()

    page.get_by_text("Décisions enregistrées.").wait_for()
    page.get_by_role("button", name="Clore la séance et notifier les demandeurs").click()
    page.get_by_text("La séance est close").wait_for()
    assert Decision.objects.current().for_subject(application).get().rank == 1

    page.context.clear_cookies()
    browser_login(page, amina.email)
    page.get_by_role("heading", name="Mon logement").wait_for()
    card = page.locator("section", has=page.get_by_role("heading", name="Mon logement"))
    assert "Attribué" in card.inner_text() and REASON in card.inner_text()
    card.get_by_role("link", name="Voir ma demande").click()

    page.get_by_role("heading", name="Ma demande de logement").wait_for()
    decision = page.locator(".decision").first
    assert "Attribué" in decision.inner_text() and REASON in decision.inner_text()
    assert page.get_by_role("link", name="Télécharger le courrier de notification (PDF)").is_visible()
    assert page.get_by_text("Sans logement stable").first.is_visible()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_cannot_close_a_meeting_before_its_date_then_holds_it_and_each_applicant_reads_their_outcome(
    page, settings
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    make_grid()
    unit = make_unit(name="Passerelle du Moulin")
    amina = make_user("amina@example.org", first_name="Amina", last_name="Benali")
    pierre = make_user("pierre@example.org", first_name="Pierre", last_name="Garnier")
    make_application(amina, housing_situation="none")
    make_application(pierre)
    run_scoring()
    scheduled = timezone.now() + datetime.timedelta(hours=3)
    # Opened early, as the old screens allowed: closing it must still wait for its date.
    meeting = make_meeting(make_committee(voting=3), starts_at=scheduled)
    officer = make_staff("housing_officer", first_name="Hélène", last_name="Chassang")

    browser_login(page, officer.email)
    page.goto(f"/housing/staff/meetings/{meeting.pk}/")
    page.get_by_label("Logement à attribuer").select_option(value=str(unit.pk))
    page.get_by_role("button", name="Ajouter le logement avec ses candidats classés").click()
    page.get_by_role("heading", name="Attribution de Passerelle du Moulin").wait_for()
    page.locator("fieldset").first.get_by_label("Motif (envoyé au demandeur)").fill(REASON)
    page.locator("fieldset").nth(1).get_by_label("Motif (envoyé au demandeur)").fill("Rang de réserve.")
    page.get_by_role("button", name="Enregistrer les décisions de la commission").click()
    page.get_by_text("Décisions enregistrées.").wait_for()

    page.get_by_role("button", name="Clore la séance et notifier les demandeurs").click()
    page.get_by_text("elle ne peut être ouverte ni close avant").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == "open" and meeting.closed_at is None

    with time_machine.travel(scheduled + datetime.timedelta(minutes=5), tick=True):
        page.get_by_role("button", name="Clore la séance et notifier les demandeurs").click()
        page.get_by_text("La séance est close").wait_for()
        meeting.refresh_from_db()
        assert meeting.closed_at >= scheduled

        for person, said in ((amina, "Attribué"), (pierre, "Sur la liste de réserve, rang 2")):
            page.context.clear_cookies()
            browser_login(page, person.email)
            card = page.locator("section", has=page.get_by_role("heading", name="Mon logement"))
            card.wait_for()
            assert said in card.locator(".application-outcome").inner_text()
            card.get_by_role("link", name="Voir ma demande").click()
            page.get_by_role("heading", name="Ma demande de logement").wait_for()
            assert said in page.locator(".application-outcome").inner_text()
        assert "Attribué" not in page.locator("main").inner_text()
