"""The training pages (public, portal and staff) pass axe-core's WCAG 2.1 A/AA rules."""

import datetime

import pytest
from django.utils import timezone

from telecentre.training.models import Enrolment, Slot
from tests.accessibility.test_axe import violations
from tests.conftest import browser_login
from tests.factories import make_user
from tests.training.factories import make_enrolment, make_programme, make_session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_training_pages_have_no_axe_violation(axe_page, training_manager):
    page = axe_page
    trainee = make_user("julien@example.org", first_name="Julien", last_name="Moreau")
    programme = make_programme("teletravail", title="Devenir télétravailleur indépendant", selective=True)
    today = timezone.localdate()
    session = make_session(programme, days=(today + datetime.timedelta(days=10),))
    running = make_session(programme, days=())
    now = timezone.now()
    slot = Slot.objects.create(
        session=running,
        date=today,
        period="morning",
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=2),
    )
    enrolment = make_enrolment(running, trainee)
    make_enrolment(session, make_user(), Enrolment.Status.APPLIED, application_text="Projet")

    found = []
    for path in [
        "/trainings/",
        "/trainings/teletravail/",
        f"/trainings/sessions/{session.pk}/",
        "/trainings/teletravail/results/",
    ]:
        found += violations(page, path)
    browser_login(page, "julien@example.org")
    for path in [
        "/trainings/mine/",
        f"/trainings/mine/{enrolment.pk}/",
        "/trainings/mine/attendance/",
        f"/trainings/mine/attendance/{slot.pk}/",
        "/trainings/mine/certificates/",
        "/trainings/mine/complaint/",
        f"/trainings/sessions/{session.pk}/enrol/",
    ]:
        found += violations(page, path)
    page.context.clear_cookies()
    browser_login(page, training_manager.email)
    for path in [
        "/trainings/staff/",
        f"/trainings/staff/sessions/{session.pk}/",
        f"/trainings/staff/sessions/{running.pk}/",
        f"/trainings/staff/half-days/{slot.pk}/",
        "/trainings/staff/exports/",
        "/trainings/staff/complaints/",
    ]:
        found += violations(page, path)
    assert found == []
