"""A half-day marked present without the trainee's signature: reason and evidence required, flagged on the
sheets, counted apart on the certificate and in the BPF evidence."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from telecentre.training import services
from telecentre.training.models import Attendance, AttendanceChange, Certificate, Enrolment, Slot
from telecentre.training.signatures import decode_signature
from tests.training.conftest import at
from tests.training.factories import (
    NEXT_MONDAY,
    make_enrolment,
    make_session,
    paper_sheet,
    pdf_text,
    signature_data_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_day(alice, bob, trainer, frozen):
    """A one-day session: Alice signs both half-days, Bob is absent in the morning; both sheets locked."""
    session = make_session(trainers=[trainer])
    alice_enrolment, bob_enrolment = make_enrolment(session, alice), make_enrolment(session, bob)
    for slot in session.slots.all():
        services.sign(
            slot, alice_enrolment, decode_signature(signature_data_url()), by=alice, via="trainee", now=slot.start
        )
        if slot.period == Slot.Period.MORNING:
            services.mark_absent(slot, bob_enrolment, reason="transport", by=trainer)
        else:
            services.sign(
                slot, bob_enrolment, decode_signature(signature_data_url()), by=bob, via="trainee", now=slot.start
            )
        services.sign_as_trainer(slot, decode_signature(signature_data_url()), by=trainer, now=slot.end)
    frozen.move_to(at(NEXT_MONDAY, 18))
    return session, alice_enrolment, bob_enrolment


def correct(client, slot, enrolment, **extra):
    data = {"enrolment": enrolment.pk, "status": "present", "reason": "Arrivé en retard, feuille papier", **extra}
    return client.post(reverse("training:correct", args=[slot.pk]), data, follow=True)


def test_a_presence_without_signature_needs_a_reason_and_evidence(client, locked_day, training_manager):
    session, _alice, bob = locked_day
    morning = session.slots.get(period=Slot.Period.MORNING)
    client.force_login(training_manager)

    without_evidence = correct(client, morning, bob, unsigned_reason="Feuille papier signée à 9 h 20")
    without_reason = correct(client, morning, bob, evidence=paper_sheet())

    message = "Une présence sans la signature du stagiaire demande son motif et un justificatif."
    assert message in without_evidence.content.decode() and message in without_reason.content.decode()
    line = Attendance.objects.get(slot=morning, enrolment=bob)
    assert line.status == "absent" and not AttendanceChange.objects.exists()


def test_the_database_refuses_an_unproven_presence_without_signature(locked_day, trainer):
    session, _alice, bob = locked_day
    line = Attendance.objects.get(slot__period=Slot.Period.MORNING, enrolment=bob)
    line.status, line.absence_reason = Attendance.Status.PRESENT, ""
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


def test_a_proven_unsigned_presence_is_flagged_and_counted_apart(client, locked_day, training_manager):
    session, alice, bob = locked_day
    morning = session.slots.get(period=Slot.Period.MORNING)
    client.force_login(training_manager)

    correct(client, morning, bob, unsigned_reason="Feuille papier signée à 9 h 20", evidence=paper_sheet())

    line = Attendance.objects.get(slot=morning, enrolment=bob)
    assert line.is_unsigned_presence and line.unsigned_reason == "Feuille papier signée à 9 h 20"
    sheet = client.get(reverse("training:slot-sheet", args=[morning.pk])).content.decode()
    assert "Présent sans signature" in sheet and reverse("training:evidence", args=["attendance", line.pk]) in sheet
    session_page = client.get(reverse("training:staff-session", args=[session.pk])).content.decode()
    assert "non signé" in session_page
    pdf = pdf_text(client.get(reverse("training:attendance-pdf", args=[session.pk])).content)
    assert "PRÉSENT SANS SIGNATURE" in pdf and "Feuille papier signée à 9 h 20" in pdf
    evidence = client.get(reverse("training:evidence", args=["attendance", line.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")

    for enrolment in (alice, bob):
        enrolment.record_outcome(Enrolment.Outcome.REACHED, "")
    services.complete_session(session)

    bob.refresh_from_db()
    alice.refresh_from_db()
    assert (bob.attended_hours, bob.unsigned_hours) == (Decimal("8"), Decimal("4"))
    assert (alice.attended_hours, alice.unsigned_hours) == (Decimal("8"), Decimal("0"))
    certificate = Certificate.objects.get(enrolment=bob, kind=Certificate.Kind.COMPLETION)
    text = pdf_text(client.get(reverse("training:staff-certificate-pdf", args=[certificate.pk])).content)
    assert "dont 4 heures sans la signature du stagiaire" in text
    alice_certificate = Certificate.objects.get(enrolment=alice, kind=Certificate.Kind.COMPLETION)
    alice_text = pdf_text(client.get(reverse("training:staff-certificate-pdf", args=[alice_certificate.pk])).content)
    assert "sans la signature" not in alice_text

    export = client.get(reverse("training:export", args=["csv"]) + "?year=2026")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    by_name = {row[3]: row for row in rows[1:]}
    assert by_name["Durand"][9:11] == ["8,0", "4,0"] and by_name["Martin"][9:11] == ["8,0", "0,0"]


def test_the_evidence_is_404_for_people_outside_the_session(client, locked_day, training_manager, alice):
    session, _alice, bob = locked_day
    morning = session.slots.get(period=Slot.Period.MORNING)
    client.force_login(training_manager)
    correct(client, morning, bob, unsigned_reason="Feuille papier", evidence=paper_sheet())
    line = Attendance.objects.get(slot=morning, enrolment=bob)

    client.force_login(alice)

    assert client.get(reverse("training:evidence", args=["attendance", line.pk])).status_code == 404


def test_a_fake_evidence_file_is_refused(client, locked_day, training_manager):
    session, _alice, bob = locked_day
    morning = session.slots.get(period=Slot.Period.MORNING)
    client.force_login(training_manager)
    fake = paper_sheet()
    fake.file = io.BytesIO(b"<html>not a pdf</html>")
    fake.size = len(b"<html>not a pdf</html>")

    response = correct(client, morning, bob, unsigned_reason="Feuille papier", evidence=fake)

    assert "ni un PDF" in response.content.decode() or "pas un document PDF" in response.content.decode()
    assert Attendance.objects.get(slot=morning, enrolment=bob).status == "absent"
