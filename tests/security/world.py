"""The objects the permission table needs: each owned by alice, so bob and staff get 404 on portal URLs.

Built with each app's own test builders, at the real current date (the table is not frozen in time):
every date is relative to today.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from unittest.mock import patch

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import InstallationProject
from committees.models import Decision
from coworking import calendar as coworking_calendar
from coworking.models import Booking, CalendarFeed, RecurringBooking
from forum.models import Seat
from housing.committee import prepare_proposal
from housing.models import Application, ExplanationRequest, NotificationLetter
from housing.scoring import run_scoring
from impact.models import Expense, FundingLine
from journey.models import Arrival, Business, CheckIn, Document, Enquiry
from telecentre.training import services as training_services
from telecentre.training.models import Attendance, Complaint, Questionnaire, SurveyResponse, TrainingContract
from tests.committees.factories import make_committee, make_meeting
from tests.coworking.factories import make_murat_tariff, make_pass, make_space
from tests.factories import make_commune, make_household, make_project
from tests.forum.factories import make_edition, make_registration, make_workshop
from tests.housing.factories import PDF, make_application, make_grid, make_occupancy, make_unit
from tests.journey.factories import pdf_upload
from tests.training.factories import make_enrolment, make_programme, make_session, make_training_body, signature_png
from waitlist import services as waitlist


def next_open_day(days_ahead):
    """A weekday at least `days_ahead` days from today, never a public holiday."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5 or coworking_calendar.public_holiday(day):
        day += datetime.timedelta(days=1)
    return day


def build_world(users):
    alice = users["alice"]
    world = SimpleNamespace(users=users)
    world.project = make_project(
        alice, sector="Céramique", kind=InstallationProject.Kind.CREATION, target_commune=make_commune()
    )
    world.household = make_household(alice, [{"first_name": "Léo", "role": "child"}])
    build_coworking(world, alice)
    build_training(world, alice, users)
    build_housing(world, alice, users)
    build_forum(world, alice)
    build_journey(world, alice)
    build_impact(world)
    return world


def build_coworking(world, alice):
    make_murat_tariff(valid_from=timezone.localdate() - datetime.timedelta(days=400))
    world.space = make_space(name="Open space", slug="open-space", capacity=2, weekdays=range(7))
    world.coworking_pass = make_pass(alice, valid_from=timezone.localdate(), days=60)
    day = next_open_day(10)
    start, end = coworking_calendar.half_day_bounds(day, "morning")
    world.series = RecurringBooking.objects.create(
        member=alice, space=world.space, period="morning", weekdays=[day.weekday()], starts_on=day, ends_on=day
    )
    world.booking = Booking.objects.create(
        space=world.space, member=alice, booked_by=alice, start=start, end=end, period="morning", series=world.series
    )
    world.feed = CalendarFeed.objects.create(member=alice)
    world.waitlist_entry = waitlist.join(world.space, user=alice, slot_start=start, slot_end=end)


def build_training(world, alice, users):
    programme = make_programme(slug="teletravail")
    day = next_open_day(14)
    world.session = make_session(programme, days=(day,))
    world.slot = world.session.slots.order_by("start").first()
    world.enrolment = make_enrolment(world.session, alice)
    make_training_body()
    # alice has signed her contract: her enrolment is final, its documents exist.
    contract = training_services.issue_contract(world.enrolment)
    contract.signed_at = contract.countersigned_at = timezone.now()
    contract.withdrawal_deadline = TrainingContract.withdrawal_deadline_for(contract.signed_at)
    contract.signature.save("contract.png", ContentFile(signature_png()), save=False)
    contract.save()
    world.attendance = Attendance.objects.create(
        slot=world.session.slots.order_by("start").last(),
        enrolment=world.enrolment,
        status=Attendance.Status.PRESENT,
        unsigned_reason="Feuille papier signée",
        evidence=ContentFile(b"%PDF-1.4\n%%EOF\n", name="feuille.pdf"),
        recorded_by=users["training_manager"],
    )
    with patch.object(training_services, "send_certificates"):
        world.certificate = training_services.issue_certificates(
            world.enrolment, list(world.session.slots.order_by("start")), timezone.now()
        )[0]
    questionnaire, _created = Questionnaire.objects.get_or_create(
        kind=Questionnaire.Kind.SATISFACTION, active=True, defaults={"title": "Satisfaction"}
    )
    if _created:
        questionnaire.questions.create(text="Êtes-vous satisfait·e ?")
    world.survey, _created = SurveyResponse.objects.for_trainee(questionnaire, world.enrolment)
    world.complaint = Complaint.objects.create(
        programme=programme,
        session=world.session,
        complainant=alice,
        complainant_name="Alice Martin",
        subject="Salle froide",
        description="Trop froid.",
    )


def build_housing(world, alice, users):
    make_grid()
    world.unit = make_unit()
    world.application = make_application(alice, housing_situation="none")
    world.housing_document = world.application.documents.first()
    run_scoring()
    world.explanation_request = ExplanationRequest.objects.create(application=world.application)
    world.meeting = make_meeting(make_committee())
    officer = users["housing_officer"]
    world.proposal = prepare_proposal(world.meeting, world.unit, timezone.localdate(), officer)
    decision = Decision.objects.create(
        item=world.proposal.item,
        subject_type=ContentType.objects.get_for_model(world.application),
        subject_id=world.application.pk,
        outcome=Decision.Outcome.ACCEPTED,
        rank=1,
        reason="Projet solide.",
    )
    world.letter = NotificationLetter(application=world.application, decision=decision)
    world.letter.file.save("decision.pdf", ContentFile(PDF), save=False)
    world.letter.save()
    Application.objects.filter(pk=world.application.pk).update(status=Application.Status.ALLOCATED)
    start = timezone.localdate() + datetime.timedelta(days=60)
    world.occupancy = make_occupancy(
        make_unit(name="Passerelle de la Gare"), alice, start, start + datetime.timedelta(days=150)
    )


def build_forum(world, alice):
    world.edition = make_edition(days_ahead=40)
    world.workshop = make_workshop(world.edition, title="Créer son activité")
    world.registration = make_registration(world.edition, email=alice.email, workshops=[world.workshop])
    world.attendee = world.registration.attendees.first()
    Seat.objects.filter(registration=world.registration).update(checked_in_at=timezone.now())


def build_journey(world, alice):
    project = world.project
    InstallationProject.objects.filter(pk=project.pk).update(stage=InstallationProject.Stage.INSTALLED)
    project.refresh_from_db()
    Arrival.objects.create(
        project=project, arrival_date=timezone.localdate(), commune=make_commune(), housing="renting"
    )
    Business.objects.create(
        project=project, name="Atelier Céramique", legal_form="micro", origin="created", registration_pending=True
    )
    world.document = Document.objects.create(
        project=project,
        kind=Document.Kind.IDENTITY,
        file=pdf_upload("identite.pdf"),
        original_name="identite.pdf",
        content_type="application/pdf",
    )
    world.checkin = CheckIn.objects.create(project=project, months=6, due_on=timezone.localdate())
    world.enquiry = Enquiry.objects.create(
        first_name="Alice", last_name="Martin", email=alice.email, source=Enquiry.Source.FORUM
    )


def build_impact(world):
    today = timezone.localdate()
    line = FundingLine.objects.create(
        funder=FundingLine.Funder.values[0],
        programme="LEADER",
        amount=Decimal("10000"),
        start_date=today.replace(month=1, day=1),
        end_date=today.replace(month=12, day=31),
    )
    world.expense = Expense(
        funding_line=line, label="Fibre", category=Expense.Category.values[0], amount=Decimal("120"), invoice_date=today
    )
    world.expense.invoice.save("facture.pdf", ContentFile(PDF), save=False)
    world.expense.save()
