"""A trainee signs the morning sheet on a phone; the PDF attendance sheet then carries the drawn signature."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from telecentre.training.models import Attendance, Slot
from tests.conftest import browser_login
from tests.factories import make_user
from tests.training.factories import make_enrolment, make_session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_trainee_signs_the_morning_sheet_on_a_phone_and_the_pdf_shows_it(phone_page, training_manager):
    page = phone_page
    trainee = make_user("julien@example.org", first_name="Julien", last_name="Moreau")
    now = timezone.now()
    session = make_session(days=(), enrolment_deadline=timezone.localdate() - datetime.timedelta(days=1))
    slot = Slot.objects.create(
        session=session,
        date=timezone.localdate(),
        period=Slot.Period.MORNING,
        start=now - datetime.timedelta(minutes=30),
        end=now + datetime.timedelta(hours=3),
    )
    enrolment = make_enrolment(session, trainee)

    browser_login(page, "julien@example.org")
    page.goto(reverse("training:my-attendance"))
    page.get_by_role("link", name="Signer").click()
    page.get_by_role("heading", name="Signature d’émargement").wait_for()

    # An empty box is not sent: the page says what to do.
    page.get_by_role("button", name="Valider ma signature").click()
    page.get_by_text("Le cadre est vide : dessinez votre signature.").wait_for()
    box = page.get_by_role("img", name="Cadre de signature").bounding_box()
    assert box["width"] <= 390
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(box["x"] + 20 + step * 10, box["y"] + box["height"] * (0.7 - 0.4 * ((step % 6) / 6)))
    page.mouse.up()
    page.get_by_text("Signature dessinée : vous pouvez valider.").wait_for()
    page.get_by_role("button", name="Valider ma signature").click()

    page.get_by_text("Merci, votre présence pour le").wait_for()
    assert page.get_by_text("Signée").first.is_visible()
    line = Attendance.objects.get(slot=slot, enrolment=enrolment)
    assert line.status == Attendance.Status.PRESENT and line.signed_via == "trainee"
    assert line.user_agent == page.evaluate("navigator.userAgent")
    assert line.signature.read().startswith(b"\x89PNG")

    staff = Client()
    staff.force_login(training_manager)
    pdf = staff.get(reverse("training:attendance-pdf", args=[session.pk])).content
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf
