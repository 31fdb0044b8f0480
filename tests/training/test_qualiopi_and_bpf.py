"""Qualiopi indicators 1, 30, 31-32 and the BPF sections C, D, E, F-1, F-3, F-4 computed from records."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from telecentre.training import services
from telecentre.training.models import (
    BpfObjective,
    Complaint,
    DistanceActivity,
    Enrolment,
    Funder,
    ProgrammeVersion,
    Questionnaire,
    SurveyResponse,
    TrainerProfile,
    TrainingExpense,
)
from telecentre.training.results import bpf_report
from tests.factories import make_user
from tests.training.conftest import at
from tests.training.factories import (
    NEXT_MONDAY,
    deliver,
    make_enrolment,
    make_programme,
    make_session,
    paper_sheet,
)

pytestmark = pytest.mark.django_db


def test_the_access_delay_is_required(frozen):
    version = make_programme().current_version
    version.access_delay = ""
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "access_delay" in error.value.message_dict


def test_an_rs_or_rncp_programme_names_its_certifier_and_registration_date(frozen):
    version = make_programme(access_delay="Deux semaines").current_version
    version.cpf_code = "RNCP12345"
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "certificateur" in str(error.value)
    version.certifier, version.certification_registered_on = "France Compétences", datetime.date(2025, 6, 1)
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "rncp_level" in error.value.message_dict
    version.rncp_level = 5
    version.full_clean()
    assert version.bpf_objective() == BpfObjective.RNCP_5


def test_a_complaint_closes_only_with_its_improvement_action(frozen, training_manager):
    complaint = Complaint.objects.create(complainant_name="Alice", subject="Salle froide", description="Froid")
    complaint.answer("Le chauffage est réparé.", by=training_manager)

    with pytest.raises(ValidationError):
        complaint.close("   ", by=training_manager)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.CLOSED)
    complaint.close("Vérifier le chauffage la veille de chaque session.", by=training_manager)
    assert complaint.status == Complaint.Status.CLOSED


def test_funders_and_trainers_are_surveyed_and_reminded_twice_at_most(
    alice, bob, trainer, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    opco = Funder.objects.create(
        name="OPCO Atlas", address="1 rue X", contact_name="Nadia Financeur", contact_email="nadia@opco.example"
    )
    session = make_session(trainers=[trainer])
    make_enrolment(session, alice, funding=Enrolment.Funding.OPCO, funder=opco)
    make_enrolment(session, bob, funding=Enrolment.Funding.OPCO, funder=opco)
    frozen.move_to(at(NEXT_MONDAY, 18))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("training_send_surveys", stdout=io.StringIO())
    trainer_survey = SurveyResponse.objects.get(questionnaire__kind=Questionnaire.Kind.TRAINER)
    assert trainer_survey.respondent_email == trainer.email and trainer_survey.session == session
    assert not SurveyResponse.objects.filter(questionnaire__kind=Questionnaire.Kind.FUNDER).exists()

    frozen.move_to(at(NEXT_MONDAY + datetime.timedelta(days=7), 18))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("training_send_surveys", stdout=io.StringIO())
    funder_survey = SurveyResponse.objects.get(questionnaire__kind=Questionnaire.Kind.FUNDER)
    assert funder_survey.respondent_email == "nadia@opco.example"  # once for the two trainees it funds
    assert "Nadia Financeur" in next(m for m in mailoutbox if m.to == ["nadia@opco.example"]).body
    trainer_survey.refresh_from_db()
    assert trainer_survey.reminders_sent == 1

    services.record_survey_answers(SurveyResponse.objects.get(enrolment__trainee=alice), {"1": 5})
    for week in (14, 21, 28):
        frozen.move_to(at(NEXT_MONDAY + datetime.timedelta(days=week), 18))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("training_send_surveys", stdout=io.StringIO())
    trainer_survey.refresh_from_db()
    assert trainer_survey.reminders_sent == 2
    assert SurveyResponse.objects.get(enrolment__trainee=alice).reminders_sent == 1  # answered after one
    assert SurveyResponse.objects.get(enrolment__trainee=bob).reminders_sent == 2
    reminders = [m for m in mailoutbox if m.subject.startswith("Rappel")]
    assert len([m for m in reminders if m.to == [trainer.email]]) == 2


def run(session, trainer):
    deliver(session, trainer)
    for enrolment in session.enrolments.enrolled():
        enrolment.record_outcome(Enrolment.Outcome.REACHED, "")
    services.complete_session(session)


def test_the_bpf_sections_come_from_the_records(client, alice, bob, trainer, training_manager, frozen):
    freelance = make_user("freelance@example.org", first_name="Paul", last_name="Libre")
    TrainerProfile.objects.create(user=trainer, titles="Master RH", status=TrainerProfile.Status.INTERNAL)
    TrainerProfile.objects.create(user=freelance, titles="Consultant", status=TrainerProfile.Status.EXTERNAL)
    mixed = make_programme(
        title="Télétravail",
        duration_hours=Decimal("12"),
        distance_hours=Decimal("4"),
        price=Decimal("600"),
        cpf_code="RS5440",
        specialty_code="326",
        specialty_label="Informatique",
    )
    session = make_session(mixed, trainers=[trainer, freelance])
    personal = make_enrolment(session, alice, trainee_status=Enrolment.TraineeStatus.INDIVIDUAL)
    make_enrolment(
        session,
        bob,
        funding=Enrolment.Funding.FRANCE_TRAVAIL,
        price=Decimal("550"),
        trainee_status=Enrolment.TraineeStatus.JOB_SEEKER,
    )
    DistanceActivity.objects.create(
        enrolment=personal,
        module="Module 1",
        completed_on=NEXT_MONDAY - datetime.timedelta(days=3),
        hours=Decimal("4"),
        evidence_kind=DistanceActivity.Evidence.CONNECTION_LOG,
        evidence=paper_sheet(),
        recorded_by=trainer,
    )
    TrainingExpense.objects.create(date=NEXT_MONDAY, kind="salaries", label="Salaire", amount=Decimal("900"))
    TrainingExpense.objects.create(date=NEXT_MONDAY, kind="bought", label="Honoraires", amount=Decimal("300"))
    TrainingExpense.objects.create(date=NEXT_MONDAY, kind="other", label="Salle", amount=Decimal("50"))
    frozen.move_to(at(NEXT_MONDAY, 18))
    run(session, trainer)

    report = bpf_report(2026)

    assert [(code, amount) for code, _label, amount in report["c"]] == [("C-4d", 550), ("C-5", 600)]
    assert report["c_total"] == Decimal("1150")
    assert report["d"] == {"total": Decimal("1250"), "salaries": Decimal("900"), "bought": Decimal("300")}
    assert report["e"]["internal"] == {"people": 1, "hours": Decimal("8")}
    assert report["e"]["external"] == {"people": 1, "hours": Decimal("8")}
    f1 = {code: line for code, _label, line in report["f1"]}
    assert f1["F-1d"] == {"trainees": 1, "hours": Decimal("12"), "distance": Decimal("4")}
    assert f1["F-1c"] == {"trainees": 1, "hours": Decimal("8"), "distance": Decimal("0")}
    assert [(str(label), line["trainees"]) for label, line in report["f3"]] == [
        ("Certification inscrite au répertoire spécifique (RS)", 2)
    ]
    assert report["f4"] == [
        (("326", "Informatique"), {"trainees": 2, "hours": Decimal("20"), "distance": Decimal("4")})
    ]

    client.force_login(training_manager)
    page = client.get(reverse("training:exports") + "?year=2026").content.decode()
    assert "C. Origine des produits" in page and "1 150,00 €" in page.replace("\u202f", " ").replace("\u00a0", " ")
    workbook = load_workbook(io.BytesIO(client.get(reverse("training:export", args=["xlsx"]) + "?year=2026").content))
    assert {
        "C - Produits",
        "D - Charges",
        "E - Formateurs",
        "F-1 - Stagiaires",
        "F-3 - Objectifs",
        "F-4 - Spécialités",
    } <= set(workbook.sheetnames)
    assert ["C-5", "Contrats conclus avec des personnes à titre individuel et à leurs frais", 600] in [
        list(row) for row in workbook["C - Produits"].values
    ]
    assert ["326", "Informatique", 2, 20] in [list(row) for row in workbook["F-4 - Spécialités"].values]


def test_a_mixed_programme_counts_distance_hours_on_the_certificate(client, alice, trainer, training_manager, frozen):
    from tests.training.factories import pdf_text

    programme = make_programme(
        title="Devenir télétravailleur",
        duration_hours=Decimal("70"),
        distance_hours=Decimal("62"),
        methods=ProgrammeVersion.Methods.MIXED,
    )
    session = make_session(programme, trainers=[trainer])
    enrolment = make_enrolment(session, alice)
    for hours in ("30", "12.5"):
        DistanceActivity.objects.create(
            enrolment=enrolment,
            module=f"Module {hours}",
            completed_on=NEXT_MONDAY - datetime.timedelta(days=5),
            hours=Decimal(hours),
            evidence_kind=DistanceActivity.Evidence.WORK,
            evidence=paper_sheet(),
            recorded_by=trainer,
        )
    frozen.move_to(at(NEXT_MONDAY, 18))
    run(session, trainer)

    enrolment.refresh_from_db()
    assert (enrolment.attended_hours, enrolment.distance_hours) == (Decimal("8"), Decimal("42.5"))
    certificate = enrolment.certificates.get(kind="completion")
    client.force_login(training_manager)
    text = pdf_text(client.get(reverse("training:staff-certificate-pdf", args=[certificate.pk])).content)
    assert "50,5 heures (sur 70 heures prévues)" in text
    assert "En présentiel 8 heures" in text and "À distance 42,5 heures" in text
