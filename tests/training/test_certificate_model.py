"""The certificate of completion follows the Ministry's model; every field is read back from the PDF."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from telecentre.training import services
from telecentre.training.models import Certificate, DistanceActivity, Enrolment, ProgrammeVersion
from tests.training.conftest import at
from tests.training.factories import (
    NEXT_MONDAY,
    deliver,
    make_enrolment,
    make_programme,
    make_session,
    paper_sheet,
    pdf_text,
)

pytestmark = pytest.mark.django_db
DAYS = tuple(NEXT_MONDAY + datetime.timedelta(days=n) for n in range(5))


@pytest.fixture
def completed(alice, trainer, frozen):
    programme = make_programme(
        title="Devenir télétravailleur indépendant",
        duration_hours=Decimal("70"),
        distance_hours=Decimal("30"),
        methods=ProgrammeVersion.Methods.MIXED,
    )
    session = make_session(programme, days=DAYS, trainers=[trainer])
    enrolment = make_enrolment(session, alice, funding=Enrolment.Funding.OPCO, employer="Scierie du Lioran")
    for hours in ("12.5", "17.5"):
        DistanceActivity.objects.create(
            enrolment=enrolment,
            module=f"Module {hours}",
            completed_on=NEXT_MONDAY - datetime.timedelta(days=3),
            hours=Decimal(hours),
            evidence_kind=DistanceActivity.Evidence.ASSESSMENT,
            evidence=paper_sheet(),
            recorded_by=trainer,
        )
    deliver(session, trainer)
    enrolment.record_outcome(Enrolment.Outcome.REACHED, "Projet présenté au jury")
    frozen.move_to(at(DAYS[-1], 18))
    services.complete_session(session)
    return enrolment


def read(client, certificate):
    return pdf_text(client.get(reverse("training:staff-certificate-pdf", args=[certificate.pk])).content)


def test_the_certificate_of_completion_carries_every_field_of_the_ministry_model(client, completed, training_manager):
    client.force_login(training_manager)
    certificate = completed.certificates.get(kind=Certificate.Kind.COMPLETION)

    text = read(client, certificate)

    for expected in [
        "Certificat de réalisation",
        "Hautes Terres Communauté",  # the body
        "84150123415",  # its NDA
        "20006663700014",  # its SIRET
        "Martine Delpuech, Vice-présidente chargée de la formation",  # the signatory and quality
        "arrêté n° 2026-14",  # under delegation
        "Alice Martin",  # the trainee
        "Scierie du Lioran",  # the employer
        "Devenir télétravailleur indépendant",  # the action
        "Action de formation",  # its nature (L6313-1)
        "du 9 mars 2026 au 13 mars 2026",
        "70 heures (sur 70 heures prévues)",
        "En présentiel 40 heures",
        "À distance 30 heures",
        "je m’engage à conserver l’ensemble des pièces justificatives",
        "Fait à Murat, le 13 mars 2026",
    ]:
        assert expected in text, expected
    assert "40.0" not in text and "70.0" not in text


def test_the_attestation_carries_the_result_and_the_signatory(client, completed, training_manager):
    client.force_login(training_manager)
    text = read(client, completed.certificates.get(kind=Certificate.Kind.ATTESTATION))

    for expected in [
        "Attestation de fin de formation",
        "Objectifs atteints — Projet présenté au jury",
        "70 heures",
        "Organiser son travail à distance",
        "Fait à Murat",
        "Martine Delpuech",
    ]:
        assert expected in text, expected


def test_hours_print_as_french_numbers(completed):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load training_format %}{{ a|hours }} / {{ b|hours }} / {{ c|hours }}")
    with translation.override("fr"):
        assert template.render(Context({"a": "40.0", "b": Decimal("12.5"), "c": 1})) == (
            "40 heures / 12,5 heures / 1 heure"
        )
