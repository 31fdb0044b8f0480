"""After the session: the trainee sees it as done, staff see outcomes and certificates, the admin reads them."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from telecentre.training import services
from telecentre.training.models import Certificate, Enrolment, Slot
from tests.training.conftest import at
from tests.training.factories import (
    NEXT_MONDAY,
    deliver,
    make_enrolment,
    make_programme,
    make_session,
    pdf_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(alice, bob, trainer, frozen):
    session = make_session(make_programme(title="Créer son activité"), trainers=[trainer])
    enrolments = [make_enrolment(session, alice), make_enrolment(session, bob)]
    deliver(session, trainer)
    frozen.move_to(at(NEXT_MONDAY, 18))
    return session, enrolments


def test_the_session_cannot_be_completed_before_each_trainee_is_assessed(client, delivered, training_manager):
    session, (alice, bob) = delivered
    client.force_login(training_manager)

    client.post(reverse("training:record-outcome", args=[alice.pk]), {"outcome": "reached", "notes": "Très bien"})
    refused = client.post(reverse("training:complete-session", args=[session.pk]), follow=True)

    assert "Saisissez d’abord le résultat de l’évaluation de chaque stagiaire" in refused.content.decode()
    assert "Bob Durand" in refused.content.decode()
    session.refresh_from_db()
    assert session.status == "scheduled" and not Certificate.objects.exists()


def test_the_attestation_carries_the_result_the_trainer_entered(
    client, delivered, training_manager, mailoutbox, django_capture_on_commit_callbacks
):
    session, (alice, bob) = delivered
    client.force_login(training_manager)
    client.post(reverse("training:record-outcome", args=[alice.pk]), {"outcome": "reached", "notes": "Plan solide"})
    client.post(reverse("training:record-outcome", args=[bob.pk]), {"outcome": "partly", "notes": ""})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:complete-session", args=[session.pk]))

    attestation = Certificate.objects.get(enrolment=alice, kind=Certificate.Kind.ATTESTATION)
    text = pdf_text(client.get(reverse("training:staff-certificate-pdf", args=[attestation.pk])).content)
    assert "Objectifs atteints — Plan solide" in text and "8 heures" in text
    bob_attestation = Certificate.objects.get(enrolment=bob, kind=Certificate.Kind.ATTESTATION)
    bob_text = pdf_text(client.get(reverse("training:staff-certificate-pdf", args=[bob_attestation.pk])).content)
    assert "Objectifs partiellement atteints" in bob_text
    # Once issued, the result is the one on the signed attestation.
    again = client.post(reverse("training:record-outcome", args=[alice.pk]), {"outcome": "not_reached"}, follow=True)
    assert "L’attestation est déjà délivrée" in again.content.decode()
    alice.refresh_from_db()
    assert alice.outcome == Enrolment.Outcome.REACHED
    # The email carries both documents.
    alice_mail = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert sorted(name for name, _content, _type in alice_mail.attachments) == sorted(
        c.filename for c in alice.certificates.all()
    )


@pytest.fixture
def completed(delivered):
    session, enrolments = delivered
    for enrolment in enrolments:
        enrolment.record_outcome(Enrolment.Outcome.REACHED, "")
    services.complete_session(session)
    return session, enrolments


def test_a_finished_session_shows_realised_to_the_trainee_and_no_cancel(client, completed):
    session, (alice, _bob) = completed
    client.force_login(alice.trainee)

    page = client.get(alice.get_absolute_url()).content.decode()
    mine = client.get(reverse("training:mine")).content.decode()

    assert "Réalisée" in page and "Réalisée" in mine and "Inscrit" not in mine
    assert reverse("training:cancel", args=[alice.pk]) not in page
    client.post(reverse("training:cancel", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.status == Enrolment.Status.ENROLLED


def test_staff_see_outcomes_and_certificates_and_no_cancel_after_the_session(client, completed, training_manager):
    session, (alice, bob) = completed
    client.force_login(training_manager)

    page = client.get(reverse("training:staff-session", args=[session.pk])).content.decode()

    assert reverse("training:staff-cancel-enrolment", args=[alice.pk]) not in page
    assert "Objectifs atteints" in page and "8 heures réalisées" in page
    for certificate in Certificate.objects.filter(enrolment__session=session):
        assert reverse("training:staff-certificate-pdf", args=[certificate.pk]) in page
    assert reverse("training:certificates-zip", args=[session.pk]) in page
    client.post(reverse("training:staff-cancel-enrolment", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.status == Enrolment.Status.ENROLLED


def test_staff_download_every_certificate_as_a_zip(client, completed, training_manager):
    session, _enrolments = completed
    client.force_login(training_manager)

    response = client.get(reverse("training:certificates-zip", args=[session.pk]))

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join([response.content])))
    names = sorted(archive.namelist())
    assert names == sorted(c.filename for c in Certificate.objects.filter(enrolment__session=session))
    assert all(archive.read(name).startswith(b"%PDF") for name in names)


def test_staff_send_the_certificates_again(
    client, completed, training_manager, mailoutbox, django_capture_on_commit_callbacks
):
    session, (alice, _bob) = completed
    client.force_login(training_manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:resend-certificates", args=[alice.pk]))

    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert len(mailoutbox[0].attachments) == 2


def test_the_admin_shows_a_certificate_as_a_read_only_document(admin_client, completed):
    certificate = Certificate.objects.filter(kind=Certificate.Kind.COMPLETION).first()

    page = admin_client.get(reverse("admin:training_certificate_change", args=[certificate.pk])).content.decode()

    assert "Certificat de réalisation" in page and certificate.data["trainee"] in page
    assert 'name="data"' not in page and "<textarea" not in page
    assert reverse("training:staff-certificate-pdf", args=[certificate.pk]) in page
    post = admin_client.post(reverse("admin:training_certificate_change", args=[certificate.pk]), {"data": "{}"})
    assert post.status_code == 403
    certificate.refresh_from_db()
    assert certificate.data["trainee"]


def test_a_cancelled_or_running_session_keeps_the_enrolled_label(client, alice, frozen):
    session = make_session(days=(NEXT_MONDAY + datetime.timedelta(days=14),), periods=(Slot.Period.MORNING,))
    enrolment = make_enrolment(session, alice)
    client.force_login(alice)
    assert "Inscrit" in client.get(enrolment.get_absolute_url()).content.decode()
