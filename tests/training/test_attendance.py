import datetime

import pytest
from django.urls import reverse

from telecentre.training import services
from telecentre.training.models import Attendance, AttendanceChange, Slot
from telecentre.training.signatures import decode_signature
from tests.training.conftest import at
from tests.training.factories import (
    NEXT_MONDAY,
    blank_data_url,
    make_enrolment,
    make_session,
    paper_sheet,
    signature_data_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(alice, bob, trainer):
    session = make_session(trainers=[trainer])
    return {
        "session": session,
        "morning": session.slots.get(period=Slot.Period.MORNING),
        "afternoon": session.slots.get(period=Slot.Period.AFTERNOON),
        "alice": make_enrolment(session, alice),
        "bob": make_enrolment(session, bob),
    }


def sign(client, slot, data_url=None):
    return client.post(
        reverse("training:sign", args=[slot.pk]),
        {"signature": data_url or signature_data_url()},
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)",
        follow=True,
    )


def test_a_trainee_signs_the_morning_once_it_has_started(alice_client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 8, 40))

    response = sign(alice_client, course["morning"])

    assert "votre présence pour" in response.content.decode()
    line = Attendance.objects.get(slot=course["morning"], enrolment=course["alice"])
    assert line.status == Attendance.Status.PRESENT
    assert line.signed_at == at(NEXT_MONDAY, 8, 40)
    assert line.signed_via == Attendance.Device.TRAINEE_DEVICE
    assert "iPhone" in line.user_agent
    assert line.signature.read().startswith(b"\x89PNG")


def test_signing_a_half_day_not_yet_started_is_refused_and_nothing_is_written(alice_client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 8, 40))

    response = sign(alice_client, course["afternoon"])

    assert "Cette demi-journée n’a pas encore commencé : vous pourrez signer à partir du 09/03/2026 13:30" in (
        response.content.decode()
    )
    assert not Attendance.objects.exists()


def test_signing_twice_is_refused(alice_client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 8, 40))
    sign(alice_client, course["morning"])

    response = sign(alice_client, course["morning"])

    assert "Cette demi-journée est déjà signée" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_an_empty_signature_box_is_refused(alice_client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 8, 40))

    response = sign(alice_client, course["morning"], blank_data_url())

    assert "La zone de signature est vide" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "data_url",
    ["", "data:image/png;base64,not-base64!", "data:image/jpeg;base64,AAAA", "data:image/png;base64,iVBORw0KGgo="],
)
def test_a_broken_signature_is_refused(data_url):
    with pytest.raises(Exception) as error:
        decode_signature(data_url)
    assert error.type.__name__ == "ValidationError"


def test_a_trainee_cannot_sign_for_someone_else(client, carol, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 8, 40))
    client.force_login(course["bob"].trainee)

    # The tablet screen belongs to the trainers: a trainee gets a 404 there.
    response = client.post(
        reverse("training:tablet-sign", args=[course["morning"].pk, course["alice"].pk]),
        {"signature": signature_data_url()},
    )
    assert response.status_code == 404
    # Someone not enrolled in the session has nothing to sign.
    client.force_login(carol)
    assert sign(client, course["morning"]).status_code == 404
    assert not Attendance.objects.exists()


def test_the_trainer_collects_signatures_on_a_tablet_records_an_absence_and_locks_the_sheet(client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 9, 0))
    client.force_login(course["session"].trainers.get())
    morning = course["morning"]

    page = client.get(reverse("training:slot-sheet", args=[morning.pk]))
    assert page.status_code == 200
    client.post(
        reverse("training:tablet-sign", args=[morning.pk, course["alice"].pk]),
        {"signature": signature_data_url()},
        HTTP_USER_AGENT="Mozilla/5.0 (iPad)",
    )
    early = client.post(reverse("training:trainer-sign", args=[morning.pk]), {"signature": signature_data_url()})
    assert "Enregistrez une signature ou une absence pour chaque stagiaire" in early.content.decode()
    client.post(
        reverse("training:mark-absent", args=[morning.pk]),
        {"enrolment": course["bob"].pk, "absence_reason": "illness", "absence_details": "Certificat médical"},
    )
    client.post(reverse("training:trainer-sign", args=[morning.pk]), {"signature": signature_data_url()})

    morning.refresh_from_db()
    assert morning.is_locked and morning.trainer_signed_by == course["session"].trainers.get()
    alice_line = Attendance.objects.get(slot=morning, enrolment=course["alice"])
    assert alice_line.signed_via == Attendance.Device.TRAINER_TABLET and "iPad" in alice_line.user_agent
    bob_line = Attendance.objects.get(slot=morning, enrolment=course["bob"])
    assert bob_line.status == Attendance.Status.ABSENT and bob_line.absence_reason == "illness"


def lock(course, when):
    signature = decode_signature(signature_data_url())
    services.sign(course["morning"], course["alice"], signature, by=course["alice"].trainee, via="trainee", now=when)
    services.mark_absent(course["morning"], course["bob"], reason="transport", by=course["session"].trainers.get())
    trainer_signature = decode_signature(signature_data_url(strokes=((10, 10, 200, 100), (200, 100, 280, 20))))
    services.sign_as_trainer(course["morning"], trainer_signature, by=course["session"].trainers.get(), now=when)


def test_a_locked_sheet_refuses_new_signatures(client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 9, 0))
    lock(course, at(NEXT_MONDAY, 9, 0))
    client.force_login(course["bob"].trainee)

    response = sign(client, course["morning"])

    assert "Le formateur a signé et verrouillé cette feuille d’émargement" in response.content.decode()
    assert Attendance.objects.get(slot=course["morning"], enrolment=course["bob"]).status == "absent"


def test_a_change_to_a_locked_sheet_is_logged_with_who_when_before_and_after(client, course, training_manager, frozen):
    frozen.move_to(at(NEXT_MONDAY, 9, 0))
    lock(course, at(NEXT_MONDAY, 9, 0))
    client.force_login(training_manager)
    url = reverse("training:correct", args=[course["morning"].pk])

    missing_reason = client.post(url, {"enrolment": course["bob"].pk, "status": "present", "reason": ""}, follow=True)
    assert "Indiquez la présence et le motif de cette correction" in missing_reason.content.decode()
    frozen.move_to(at(NEXT_MONDAY, 11, 0))
    client.post(
        url,
        {
            "enrolment": course["bob"].pk,
            "status": "present",
            "reason": "Arrivé à 9 h 15, a signé sur papier",
            "unsigned_reason": "Feuille papier signée à 9 h 15",
            "evidence": paper_sheet(),
        },
    )

    change = AttendanceChange.objects.get()
    assert change.changed_by == training_manager and change.changed_at == at(NEXT_MONDAY, 11, 0)
    assert change.before["status"] == "absent" and change.before["absence_reason"] == "transport"
    assert change.after["status"] == "present" and change.after["absence_reason"] == ""
    assert change.after["unsigned_reason"] == "Feuille papier signée à 9 h 15" and change.after["evidence"]
    assert Attendance.objects.get(slot=course["morning"], enrolment=course["bob"]).status == "present"
    sheet = client.get(reverse("training:slot-sheet", args=[course["morning"].pk])).content.decode()
    assert "Arrivé à 9 h 15, a signé sur papier" in sheet


def test_a_sheet_cannot_be_corrected_before_it_is_locked(client, course, training_manager, frozen):
    frozen.move_to(at(NEXT_MONDAY, 9, 0))
    client.force_login(training_manager)

    client.post(
        reverse("training:correct", args=[course["morning"].pk]),
        {"enrolment": course["bob"].pk, "status": "present", "reason": "test"},
    )

    assert not AttendanceChange.objects.exists() and not Attendance.objects.exists()


def test_the_half_day_sheet_is_404_for_other_people(client, bob, course):
    client.force_login(bob)
    assert client.get(reverse("training:slot-sheet", args=[course["morning"].pk])).status_code == 404
    assert client.get(reverse("training:attendance-pdf", args=[course["session"].pk])).status_code == 404


def test_the_pdf_attendance_sheet_embeds_the_signatures(client, course, training_manager, frozen):
    frozen.move_to(at(NEXT_MONDAY, 9, 0))
    lock(course, at(NEXT_MONDAY, 9, 0))
    client.force_login(training_manager)

    response = client.get(reverse("training:attendance-pdf", args=[course["session"].pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    # Two signature images on the sheet: the trainee's and the trainer's.
    assert pdf.count(b"/Subtype /Image") >= 2


def test_my_attendance_lists_today_s_half_days_with_what_is_left_to_sign(alice_client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY, 8, 40))
    sign(alice_client, course["morning"])

    body = alice_client.get(reverse("training:my-attendance")).content.decode()

    assert "Signée" in body
    assert "À partir de 13:30" in body


def test_signing_closes_at_the_end_of_the_day(alice_client, course, frozen):
    frozen.move_to(at(NEXT_MONDAY + datetime.timedelta(days=1), 8, 0))

    response = sign(alice_client, course["morning"])

    assert "Cette demi-journée est terminée" in response.content.decode()
    assert not Attendance.objects.exists()
