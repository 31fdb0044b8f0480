"""Demo trainings: the telework course (a past session with certificates, one running this week, one nearly
full), and the rural business-creation course. Idempotent; dates relative to today."""

import datetime
import hashlib
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Commune, User
from coworking import api as coworking
from organisation.demo import seed_record
from telecentre.training import services
from telecentre.training.models import (
    Attendance,
    Complaint,
    DistanceActivity,
    Enrolment,
    Programme,
    ProgrammeVersion,
    Questionnaire,
    Session,
    Slot,
    SurveyResponse,
    local_zone,
)

TELEWORK = {
    "title": "Devenir télétravailleur indépendant",
    "summary": "Le parcours historique du télécentre : dix modules à distance puis une semaine sur place à Murat "
    "pour lancer son activité de télétravailleur indépendant en milieu rural.",
    "objectives": "Choisir son statut et ses outils de travail à distance\n"
    "Construire une offre et trouver ses premiers clients à distance\n"
    "Organiser son temps, sa sécurité informatique et sa vie professionnelle à la campagne\n"
    "S’intégrer dans le réseau économique du territoire",
    "prerequisites": "Avoir un projet d’activité à distance ; savoir utiliser un ordinateur et la messagerie.",
    "duration_hours": Decimal("70"),
    "distance_hours": Decimal("30"),
    "methods": ProgrammeVersion.Methods.MIXED,
    "methods_details": "30 h de modules à distance et 40 h en présentiel à la COcotte numérique de Murat : "
    "apports, ateliers pratiques, témoignages de télétravailleurs installés.",
    "assessment": "Positionnement à l’entrée, mise en situation sur son propre projet, présentation finale devant "
    "un jury de professionnels.",
    "price": Decimal("1400"),
    "access_delay": "Candidature au plus tard trois semaines avant la session ; réponse sous 10 jours.",
    "cpf_code": "RS5440",
    "certifier": "CCI Auvergne-Rhône-Alpes",
    "certification_registered_on": datetime.date(2021, 9, 1),
    "specialty_code": "310",
    "specialty_label": "Spécialités plurivalentes des échanges et de la gestion",
    "funding_opco": True,
    "funding_france_travail": True,
    "funding_region": True,
    "funding_personal": True,
    "free_for_newcomers": True,
    "accessibility_statement": "Locaux de plain-pied accessibles en fauteuil, place de stationnement réservée, "
    "supports disponibles en gros caractères. Nous adaptons le rythme et les outils avec vous et nos partenaires "
    "(Cap emploi, Agefiph, MDPH).",
    "disability_referent": "Thomas Lafon",
    "disability_referent_contact": "formation@telecentre.demo — 04 71 20 00 00",
}

RURAL_BUSINESS = {
    "title": "Créer son activité en milieu rural",
    "summary": "Trois jours pour passer de l’idée au plan d’action : marché local, statut, aides et réseau.",
    "objectives": "Évaluer son marché sur un territoire rural\nChoisir un statut et estimer ses charges\n"
    "Identifier les aides et les partenaires locaux",
    "prerequisites": "Aucun.",
    "duration_hours": Decimal("24"),
    "methods": ProgrammeVersion.Methods.IN_PERSON,
    "methods_details": "Ateliers en petit groupe, rencontres avec la CCI, la Chambre de métiers "
    "et des créateurs installés.",
    "assessment": "Plan d’action individuel relu par le formateur.",
    "price": Decimal("480"),
    "access_delay": "Inscription jusqu’à une semaine avant la session.",
    "specialty_code": "310",
    "specialty_label": "Spécialités plurivalentes des échanges et de la gestion",
    "funding_france_travail": True,
    "funding_personal": True,
    "free_for_newcomers": True,
    "accessibility_statement": "Salle de plain-pied, boucle magnétique sur demande.",
    "disability_referent": "Thomas Lafon",
    "disability_referent_contact": "formation@telecentre.demo — 04 71 20 00 00",
}


ACCESS = (
    "Gare de Murat à dix minutes à pied ; parking gratuit place de l’Hôpital. "
    "Entrée de plain-pied côté rue, salle au rez-de-chaussée."
)


def training_body():
    """The demo body and its signatory of training documents, unless the director has already filled them in."""
    return seed_record()


def user(email):
    return User.objects.get(email=email)


def programme(slug, content, **flags):
    prog, _created = Programme.objects.get_or_create(slug=slug, defaults=flags)
    if not prog.versions.exists():
        prog.new_version(**content)
    return prog


def weekdays_from(first, count):
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def signature_for(person, variant=0):
    """A scribble that differs per person (controllers reject identical, copied signatures)."""
    seed = hashlib.sha256(f"{person.email}-{variant}".encode()).digest()
    image = Image.new("RGB", (300, 110), "white")
    draw = ImageDraw.Draw(image)
    points = [(15 + i * 27, 25 + seed[i] % 60) for i in range(10)]
    draw.line(points, fill="black", width=3, joint="curve")
    draw.line([(20, 90), (40 + seed[12] % 200, 85)], fill="black", width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name="signature.png")


def session(version, days, *, trainer, room, **fields):
    existing = Session.objects.filter(programme_version=version, slots__date=days[0]).first()
    if existing:
        return existing
    fields.setdefault("access", ACCESS)
    with transaction.atomic():
        new = Session.objects.create(programme_version=version, room=room, **fields)
        new.trainers.set([trainer])
        now = timezone.now()
        for day in days:
            for period in Slot.Period.values:
                slot = Slot.objects.create(session=new, date=day, period=period)
                if room is not None and slot.end > now:
                    try:
                        slot.booking = services.reserve(new, slot, trainer)
                        slot.save(update_fields=["booking"])
                    except ValidationError:
                        pass  # a demo booking or a closure already holds the room: the half-day stays unreserved
    return new


def enrol(target, email, **fields):
    trainee = user(email)
    enrolment = target.enrolments.filter(trainee=trainee).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(session=target, trainee=trainee, **fields)
    return enrolment


def distance_modules(enrolment, *, before, trainer):
    """The ten distance modules (3 hours each) done in the weeks before the on-site week, with their evidence."""
    if enrolment.distance_activities.exists():
        return
    for number in range(1, 11):
        image = Image.new("RGB", (400, 120), "white")
        ImageDraw.Draw(image).text((10, 50), f"Plateforme : module {number}, {enrolment.trainee.email}", fill="black")
        out = io.BytesIO()
        image.save(out, format="PNG")
        DistanceActivity.objects.create(
            enrolment=enrolment,
            module=f"Module à distance {number}",
            completed_on=before - datetime.timedelta(days=7 * (11 - number) // 2),
            hours=Decimal("3"),
            evidence_kind=DistanceActivity.Evidence.CONNECTION_LOG,
            evidence=ContentFile(out.getvalue(), name=f"connexions-module-{number}.png"),
            recorded_by=trainer,
        )


def hold_seat_for_contract(enrolment):
    """The self-paying trainee's seat waits for the contract's signature, as a real enrolment would."""
    try:
        with transaction.atomic():
            services.issue_contract(enrolment)
            enrolment.status = Enrolment.Status.AWAITING
            enrolment.save(update_fields=["status"])
    except ValidationError:
        pass  # the organisation record or its signatory is not filled in yet: the contract waits for them


def attend(slot, enrolments, trainer, absent=()):
    if slot.is_locked:
        return
    for index, enrolment in enumerate(enrolments):
        if Attendance.objects.filter(slot=slot, enrolment=enrolment).exists():
            continue
        if enrolment.trainee.email in absent:
            services.mark_absent(slot, enrolment, reason=Attendance.AbsenceReason.ILLNESS, by=trainer)
            continue
        signed_at = slot.start + datetime.timedelta(minutes=3 + index * 2)
        Attendance.objects.create(
            slot=slot,
            enrolment=enrolment,
            status=Attendance.Status.PRESENT,
            signature=signature_for(enrolment.trainee),
            signed_at=signed_at,
            signed_via=Attendance.Device.TRAINER_TABLET,
            user_agent="Mozilla/5.0 (Linux; Android 14; Tablette de formation)",
            recorded_by=trainer,
        )
    slot.trainer_signature.save("trainer.png", signature_for(trainer, slot.pk), save=False)
    slot.trainer_signed_by, slot.trainer_signed_at = trainer, slot.end
    slot.save(update_fields=["trainer_signature", "trainer_signed_by", "trainer_signed_at"])


def seed(stdout):
    today = timezone.localdate()
    now = timezone.now()
    training_body()
    trainer = user("formation@telecentre.demo")
    murat = Commune.objects.filter(insee_code="15138").first()
    room = (
        coworking.spaces_bookable_for_training().filter(kind="training").first()
        or coworking.spaces_bookable_for_training().first()
    )
    place = "COcotte numérique, 4 rue de l’Hôpital, Murat"
    telework = programme("teletravail-independant", TELEWORK, selective=True, grants_coworking_exemption=True)
    rural = programme("creer-activite-rurale", RURAL_BUSINESS)
    version = telework.current_version

    # A past session, completed: attendance signed, certificates issued, free coworking granted.
    past_days = weekdays_from(today - datetime.timedelta(days=63), 5)
    past = session(
        version,
        past_days,
        trainer=trainer,
        room=None,
        place=place,
        commune=murat,
        capacity=12,
        minimum=2,
        enrolment_deadline=past_days[0] - datetime.timedelta(days=14),
        cancellation_deadline=past_days[0] - datetime.timedelta(days=7),
        minimum_check_date=past_days[0] - datetime.timedelta(days=10),
    )
    laura = enrol(past, "laura@demo.example", funding=Enrolment.Funding.FREE_NEWCOMER, outcome="reached")
    nicolas = enrol(
        past,
        "nicolas@demo.example",
        funding=Enrolment.Funding.FRANCE_TRAVAIL,
        file_number="FT-2024-118734",
        outcome="reached",
    )
    for slot in past.slots.all():
        attend(slot, [laura, nicolas], trainer, absent={"nicolas@demo.example"} if slot == past.slots.last() else ())
    for enrolment in (laura, nicolas):
        distance_modules(enrolment, before=past_days[0], trainer=trainer)
    if past.status == Session.Status.SCHEDULED:
        end_of_session = datetime.datetime.combine(past_days[-1], datetime.time(18), tzinfo=local_zone())
        services.complete_session(past, by=trainer, now=end_of_session)
    satisfaction = Questionnaire.objects.filter(kind=Questionnaire.Kind.SATISFACTION, active=True).first()
    if satisfaction:
        for enrolment, rating in [(laura, 5), (nicolas, 4)]:
            response, created = SurveyResponse.objects.for_trainee(satisfaction, enrolment)
            if created:
                answers = {
                    str(q.pk): rating if q.kind == "rating" else "Très concret, merci."
                    for q in satisfaction.questions.all()
                }
                services.record_survey_answers(response, answers)

    # A session running this week: morning and afternoon sheets of the days already past are signed.
    monday = today - datetime.timedelta(days=today.weekday())
    if today.weekday() >= 5:
        monday += datetime.timedelta(days=7)
    week = weekdays_from(monday, 5)
    running = session(
        version,
        week,
        trainer=trainer,
        room=room,
        place=place,
        commune=murat,
        capacity=12,
        minimum=2,
        enrolment_deadline=week[0] - datetime.timedelta(days=7),
        cancellation_deadline=week[0] - datetime.timedelta(days=10),
        minimum_check_date=week[0] - datetime.timedelta(days=10),
    )
    julien = enrol(
        running, "julien@demo.example", funding=Enrolment.Funding.FREE_NEWCOMER, decision_reason="Projet solide."
    )
    amina = enrol(
        running,
        "amina@demo.example",
        funding=Enrolment.Funding.REGION,
        file_number="AURA-2025-0412",
        adaptation_needed=True,
        adaptation_measure="Pauses de 10 minutes toutes les heures.",
    )
    for slot in running.slots.filter(end__lt=now):
        attend(slot, [julien, amina], trainer)

    # The next session, nearly full.
    next_days = weekdays_from(monday + datetime.timedelta(days=14), 5)
    upcoming = session(
        version,
        next_days,
        trainer=trainer,
        room=room,
        place=place,
        commune=murat,
        capacity=6,
        minimum=3,
        enrolment_deadline=next_days[0] - datetime.timedelta(days=7),
        cancellation_deadline=next_days[0] - datetime.timedelta(days=10),
        minimum_check_date=next_days[0] - datetime.timedelta(days=14),
    )
    for email, funding in [
        ("claire@demo.example", Enrolment.Funding.CPF),
        ("pierre@demo.example", Enrolment.Funding.FREE_NEWCOMER),
        ("sarah@demo.example", Enrolment.Funding.PERSONAL),
        ("marc@demo.example", Enrolment.Funding.FREE_NEWCOMER),
        ("elodie@demo.example", Enrolment.Funding.FRANCE_TRAVAIL),
    ]:
        enrolment = enrol(upcoming, email, funding=funding, file_number="CPF-7781230" if funding == "cpf" else "")
        if enrolment.needs_contract and enrolment.status == Enrolment.Status.ENROLLED:
            hold_seat_for_contract(enrolment)

    rural_days = weekdays_from(today + datetime.timedelta(days=17), 3)
    rural_session = session(
        rural.current_version,
        rural_days,
        trainer=trainer,
        room=room,
        place=place,
        commune=murat,
        capacity=10,
        minimum=4,
        enrolment_deadline=rural_days[0] - datetime.timedelta(days=7),
        cancellation_deadline=rural_days[0] - datetime.timedelta(days=7),
        minimum_check_date=rural_days[0] - datetime.timedelta(days=8),
    )
    enrol(rural_session, "amina@demo.example", funding=Enrolment.Funding.FREE_NEWCOMER)

    Complaint.objects.get_or_create(
        subject="Salle trop froide le premier matin",
        defaults={
            "programme": telework,
            "session": past,
            "complainant": laura.trainee,
            "complainant_name": laura.trainee.get_full_name(),
            "complainant_email": laura.trainee.email,
            "description": "Le chauffage de la salle n’était pas allumé à notre arrivée.",
            "status": Complaint.Status.CLOSED,
            "received_at": timezone.make_aware(datetime.datetime.combine(past_days[0], datetime.time(12))),
            "acknowledged_at": timezone.make_aware(datetime.datetime.combine(past_days[0], datetime.time(14))),
            "response": "Le thermostat était déréglé ; il a été réparé le jour même.",
            "answered_at": timezone.make_aware(datetime.datetime.combine(past_days[1], datetime.time(9))),
            "closed_at": timezone.make_aware(datetime.datetime.combine(past_days[1], datetime.time(9))),
            "improvement_action": "L’équipe vérifie le chauffage la veille de chaque session.",
            "handled_by": trainer,
        },
    )
    stdout.write(
        f"  training: {Programme.objects.count()} programmes, {Session.objects.count()} sessions, "
        f"{Enrolment.objects.count()} enrolments"
    )
