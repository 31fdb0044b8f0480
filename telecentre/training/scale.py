"""Volume data for trainings: a catalogue of programmes and 2 000 sessions over the years, each of four
half-days with about ten trainees, their enrolments and, for the past half-days, the attendance sheets."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from accounts import roles
from core.storage import get_private_storage
from telecentre.training.models import Attendance, Enrolment, Programme, ProgrammeVersion, Session, Slot

PROGRAMMES = 12
HALF_DAYS = [("morning", 9, 12), ("afternoon", 14, 17)]


def seed(scale):
    versions = seed_catalogue(scale)
    count = scale.count(2_000)
    communes = scale.commune_ids()
    first_session = (Session.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    # Sessions every few days, from about eight years ago to three months ahead.
    step = max(1, 3000 // count)
    start_day = scale.day(90 - step * count)
    scale.insert_values(
        Session,
        (
            {
                "programme_version_id": versions[n % len(versions)],
                "place": "Télécentre de Murat",
                "commune_id": scale.pick(communes),
                "capacity": 12,
                "minimum": 4,
                "enrolment_deadline": start_day + datetime.timedelta(days=step * n - 7),
                "cancellation_deadline": start_day + datetime.timedelta(days=step * n - 10),
                "minimum_check_date": start_day + datetime.timedelta(days=step * n - 14),
                "status": Session.Status.COMPLETED
                if start_day + datetime.timedelta(days=step * n + 2) < scale.today
                else Session.Status.SCHEDULED,
                "created_at": scale.moment(start_day + datetime.timedelta(days=step * n - 60), 9),
            }
            for n in range(count)
        ),
    )
    sessions = list(
        Session.objects.filter(pk__gte=first_session).order_by("pk").values_list("pk", "enrolment_deadline")
    )
    slots = scale.insert_values(Slot, slot_rows(scale, sessions))
    enrolments = scale.insert_values(Enrolment, enrolment_rows(scale, sessions))
    attendances = scale.insert_values(Attendance, attendance_rows(scale, first_session))
    return (
        f"{len(versions)} programmes, {count} sessions, {slots} half-days, {enrolments} enrolments, "
        f"{attendances} signatures"
    )


def seed_catalogue(scale):
    versions = []
    for n in range(PROGRAMMES):
        programme, _created = Programme.objects.get_or_create(
            slug=f"scale-formation-{n + 1}", defaults={"grants_coworking_exemption": n == 0, "selective": n % 3 == 0}
        )
        version, _created = ProgrammeVersion.objects.get_or_create(
            programme=programme,
            number=1,
            defaults={
                "title": "Devenir télétravailleur indépendant" if n == 0 else f"Formation {n + 1}",
                "objectives": "Organiser son activité à distance\nTrouver ses premiers clients",
                "duration_hours": Decimal(14),
                "assessment": "Mise en situation et questionnaire",
                "accessibility_statement": "Locaux accessibles, adaptations sur demande.",
                "disability_referent": "Thomas Lafon",
                "disability_referent_contact": "formation@telecentre.demo",
            },
        )
        versions.append(version.pk)
    return versions


def session_days(deadline):
    first = deadline + datetime.timedelta(days=7)
    return [first, first + datetime.timedelta(days=1)]


def slot_rows(scale, sessions):
    for session_id, deadline in sessions:
        for day in session_days(deadline):
            for period, opens, closes in HALF_DAYS:
                yield {
                    "session_id": session_id,
                    "date": day,
                    "period": period,
                    "start": scale.moment(day, opens),
                    "end": scale.moment(day, closes),
                    "module": "",
                }


def enrolment_rows(scale, sessions):
    newcomers = scale.newcomer_ids()
    heavy = newcomers[0]
    # The heavy newcomer is in every 50th session by position, not by id: ids depend on what the database
    # allocated before (PostgreSQL sequences are not rolled back), and the volumes must not.
    for number, (session_id, deadline) in enumerate(sessions):
        trainees = {scale.pick(newcomers) for _ in range(scale.random.randint(6, 12))}
        if number % 50 == 0:
            trainees.add(heavy)
        for trainee in sorted(trainees)[:12]:
            yield {
                "session_id": session_id,
                "trainee_id": trainee,
                "status": Enrolment.Status.ENROLLED,
                "funding": scale.pick(Enrolment.Funding.values),
                "created_at": scale.moment(deadline - datetime.timedelta(days=30), 10),
            }


# A 1×1 white PNG: the scale data needs a stored signature, not a legible one.
SIGNATURE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fe"
    "a7356a810000000049454e44ae426082"
)


def attendance_rows(scale, first_session):
    recorder = scale.staff(roles.TRAINING_MANAGER).pk
    now = scale.now
    # A presence is proven by a signature (a constraint): every scale row points at one stored drawing.
    signature = get_private_storage().save("training/signatures/scale.png", ContentFile(SIGNATURE_PNG))
    slots = {}
    for slot_id, session_id, start in Slot.objects.filter(session_id__gte=first_session, end__lt=now).values_list(
        "pk", "session_id", "start"
    ):
        slots.setdefault(session_id, []).append((slot_id, start))
    enrolments = Enrolment.objects.filter(session_id__gte=first_session).values_list("pk", "session_id")
    for enrolment_id, session_id in list(enrolments):
        for slot_id, start in slots.get(session_id, []):
            present = scale.random.random() < 0.92
            yield {
                "slot_id": slot_id,
                "enrolment_id": enrolment_id,
                "status": Attendance.Status.PRESENT if present else Attendance.Status.ABSENT,
                "signed_at": start + datetime.timedelta(minutes=10) if present else None,
                "signed_via": Attendance.Device.TRAINER_TABLET if present else "",
                "signature": signature if present else "",
                "recorded_by_id": recorder,
                "absence_reason": "" if present else Attendance.AbsenceReason.ILLNESS,
                "updated_at": start + datetime.timedelta(minutes=10),
            }
