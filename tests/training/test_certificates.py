import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from coworking.models import Exemption
from telecentre.training import services
from telecentre.training.models import Attendance, Certificate, Enrolment, Session, Slot
from telecentre.training.signatures import decode_signature
from tests.training.conftest import at
from tests.training.factories import NEXT_MONDAY, make_enrolment, make_programme, make_session, signature_data_url

pytestmark = pytest.mark.django_db

TUESDAY = NEXT_MONDAY + datetime.timedelta(days=1)


def run_session(session, present, trainer):
    """Every half-day: `present` trainees sign, the others are absent; the trainer signs each sheet."""
    for slot in session.slots.all():
        for enrolment in session.enrolments.enrolled():
            if (enrolment.trainee, slot.period) in present or enrolment.trainee in present:
                signature = decode_signature(signature_data_url())
                services.sign(slot, enrolment, signature, by=enrolment.trainee, via="trainee", now=slot.start)
            else:
                services.mark_absent(slot, enrolment, reason="illness", by=trainer)
        services.sign_as_trainer(slot, decode_signature(signature_data_url()), by=trainer, now=slot.end)
    for enrolment in session.enrolments.enrolled():
        enrolment.record_outcome(Enrolment.Outcome.REACHED, "")


@pytest.fixture
def telework(alice, bob, trainer):
    programme = make_programme(
        "teletravail", title="Devenir télétravailleur indépendant", grants_coworking_exemption=True
    )
    session = make_session(programme, days=(NEXT_MONDAY, TUESDAY), trainers=[trainer])
    return session, make_enrolment(session, alice), make_enrolment(session, bob)


def test_completing_the_session_issues_certificates_with_the_hours_attended(
    client, telework, trainer, training_manager, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session, alice_enrolment, bob_enrolment = telework
    frozen.move_to(at(TUESDAY, 18))
    run_session(session, {alice_enrolment.trainee, (bob_enrolment.trainee, Slot.Period.MORNING)}, trainer)
    client.force_login(training_manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:complete-session", args=[session.pk]))

    session.refresh_from_db()
    alice_enrolment.refresh_from_db()
    bob_enrolment.refresh_from_db()
    assert session.status == Session.Status.COMPLETED
    assert alice_enrolment.attended_hours == Decimal("16") and alice_enrolment.completed_at is not None
    assert bob_enrolment.attended_hours == Decimal("8") and bob_enrolment.completed_at is None
    certificate = Certificate.objects.get(enrolment=bob_enrolment, kind=Certificate.Kind.COMPLETION)
    assert certificate.data["title"] == "Devenir télétravailleur indépendant"
    assert certificate.data["attended_hours"] == "8.0" and certificate.data["planned_hours"] == "16.0"
    assert Certificate.objects.count() == 4
    assert {tuple(m.to) for m in mailoutbox} == {("alice@example.org",), ("bob@example.org",)}


def test_completing_the_telework_training_grants_the_coworking_exemption(telework, trainer, frozen):
    session, alice_enrolment, bob_enrolment = telework
    frozen.move_to(at(TUESDAY, 18))
    run_session(session, {alice_enrolment.trainee}, trainer)

    services.complete_session(session)

    exemption = Exemption.objects.get(member=alice_enrolment.trainee)
    assert exemption.starts_on == TUESDAY and exemption.ends_on == datetime.date(2028, 3, 9)
    assert "Devenir télétravailleur indépendant" in exemption.reason
    assert not Exemption.objects.filter(member=bob_enrolment.trainee).exists()


def test_a_session_with_unsigned_sheets_cannot_be_completed(client, telework, training_manager, frozen):
    session, *_ = telework
    frozen.move_to(at(TUESDAY, 18))
    client.force_login(training_manager)

    response = client.post(reverse("training:complete-session", args=[session.pk]), follow=True)

    assert "Chaque feuille d’émargement doit être signée par le formateur" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED and not Certificate.objects.exists()


def test_the_trainee_downloads_their_certificates_and_others_get_404(client, telework, trainer, frozen):
    session, alice_enrolment, bob_enrolment = telework
    frozen.move_to(at(TUESDAY, 18))
    run_session(session, {alice_enrolment.trainee, bob_enrolment.trainee}, trainer)
    services.complete_session(session)
    certificate = Certificate.objects.get(enrolment=alice_enrolment, kind=Certificate.Kind.COMPLETION)
    client.force_login(alice_enrolment.trainee)

    page = client.get(reverse("training:my-certificates")).content.decode()
    assert "Certificat de réalisation" in page and "Attestation de fin de formation" in page
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="certificat-realisation-{certificate.number}.pdf"'

    client.force_login(bob_enrolment.trainee)
    assert client.get(certificate.get_absolute_url()).status_code == 404


def test_the_certificate_keeps_the_title_it_was_issued_with(telework, trainer, frozen):
    session, alice_enrolment, _ = telework
    frozen.move_to(at(TUESDAY, 18))
    run_session(session, {alice_enrolment.trainee}, trainer)
    services.complete_session(session)

    session.programme_version.programme.new_version(title="Nouveau titre")

    certificate = Certificate.objects.get(enrolment=alice_enrolment, kind=Certificate.Kind.COMPLETION)
    assert certificate.data["title"] == "Devenir télétravailleur indépendant"
    assert Enrolment.objects.get(pk=alice_enrolment.pk).attended_hours == 16
    assert Attendance.objects.filter(enrolment=alice_enrolment).count() == 4
