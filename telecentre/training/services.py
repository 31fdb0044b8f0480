"""Training operations that span several rows or apps: seats, waiting list, rooms, attendance, certificates.

Capacity rule: every write that can take a seat locks the session row, recounts
the enrolled trainees and the places held by live waiting-list offers, then writes.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.emails import send_templated_email
from coworking import api as coworking
from telecentre.training.models import (
    COMPLETION_SHARE,
    Attendance,
    AttendanceChange,
    Certificate,
    Enrolment,
    Questionnaire,
    Session,
    Slot,
    SurveyResponse,
)
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry

logger = logging.getLogger(__name__)

OFFER_HOLD = datetime.timedelta(hours=48)
SURVEY_WINDOW = datetime.timedelta(days=30)


def notify(enrolment, template, **context):
    trainee = enrolment.trainee
    send_templated_email(
        trainee.email,
        template,
        {
            "enrolment": enrolment,
            "session": enrolment.session,
            "start": enrolment.session.dates()[0],
            "trainee": trainee,
            **context,
        },
        language=trainee.preferred_language,
    )


# Enrolment ------------------------------------------------------------------


def lock_session(session):
    return Session.objects.select_for_update().select_related("programme_version__programme").get(pk=session.pk)


def free_seats(session):
    """Seats left on a locked session: capacity minus trainees enrolled minus places held by live offers."""
    if session.status != Session.Status.SCHEDULED:
        return 0
    return session.capacity - session.seats_taken() - waitlist.held_quantity(session)


def check_can_enrol(session, trainee, today=None):
    today = today or timezone.localdate()
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This session is not open any more."), code="closed")
    if today > session.enrolment_deadline:
        raise ValidationError(
            _("Enrolment for this session closed on %(date)s.")
            % {"date": session.enrolment_deadline.strftime("%d/%m/%Y")},
            code="deadline",
        )
    existing = session.enrolments.active().filter(trainee=trainee).first()
    if existing is not None and existing.status == Enrolment.Status.ENROLLED:
        raise ValidationError(_("You are already enrolled in this session."), code="already_enrolled")
    if existing is not None:
        raise ValidationError(_("You have already applied for this session."), code="already_applied")
    if WaitingListEntry.objects.for_target(session).active().filter(user=trainee).exists():
        raise ValidationError(_("You are already on the waiting list for this session."), code="already_waiting")


def enrol(session, trainee, *, details, today=None):
    """Register, apply or join the waiting list; returns (enrolment, waiting_list_entry), one of them None.

    details: funding, file_number, application_text, adaptation_needed, adaptation_measure.
    """
    with transaction.atomic():
        session = lock_session(session)
        check_can_enrol(session, trainee, today)
        if session.programme_version.programme.selective:
            enrolment = create_enrolment(session, trainee, Enrolment.Status.APPLIED, details)
            notify(enrolment, "training_application_received")
            return enrolment, None
        if free_seats(session) <= 0:
            entry = waitlist.join(session, user=trainee, payload=details)
            return None, entry
        enrolment = create_enrolment(session, trainee, Enrolment.Status.ENROLLED, details)
        notify(enrolment, "training_enrolled")
        return enrolment, None


def create_enrolment(session, trainee, status, details):
    fields = {key: details[key] for key in ENROLMENT_DETAILS if key in details}
    try:
        with transaction.atomic():
            return Enrolment.objects.create(session=session, trainee=trainee, status=status, **fields)
    except IntegrityError:
        raise ValidationError(_("You are already enrolled in this session."), code="already_enrolled") from None


ENROLMENT_DETAILS = ("funding", "file_number", "application_text", "adaptation_needed", "adaptation_measure")


def decide(enrolment, *, accept, reason, by, now=None):
    """Staff decision on an application; a selected candidate goes to the waiting list if the session is full."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != Enrolment.Status.APPLIED or enrolment.decided_at is not None:
            raise ValidationError(_("This application has already been decided."), code="decided")
        if not reason.strip():
            raise ValidationError(_("Give the reason for the decision: the candidate will read it."), code="reason")
        enrolment.decision_reason, enrolment.decided_by, enrolment.decided_at = reason, by, now
        if not accept:
            enrolment.status = Enrolment.Status.REFUSED
            enrolment.save()
            notify(enrolment, "training_application_refused")
            return enrolment, None
        if free_seats(session) > 0:
            enrolment.status = Enrolment.Status.ENROLLED
            enrolment.save()
            notify(enrolment, "training_enrolled")
            return enrolment, None
        enrolment.save()
        entry = waitlist.join(session, user=enrolment.trainee, payload={"enrolment": enrolment.pk})
        notify(enrolment, "training_selected_waiting", position=waitlist.position(entry))
        return enrolment, entry


def cancel_enrolment(enrolment, *, by, reason="", staff=False, today=None):
    """Cancel an application or a seat; a freed seat is offered to the waiting list in arrival order."""
    with transaction.atomic():
        session = lock_session(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in (Enrolment.Status.APPLIED, Enrolment.Status.ENROLLED):
            raise ValidationError(_("This enrolment is already cancelled."), code="not_active")
        if not staff and not enrolment.can_cancel(today):
            raise ValidationError(
                _("The last day to cancel was %(date)s: contact the training team.")
                % {"date": session.cancellation_deadline.strftime("%d/%m/%Y")},
                code="deadline",
            )
        freed = enrolment.status == Enrolment.Status.ENROLLED
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.cancelled_at = timezone.now()
        enrolment.cancellation_reason = reason
        enrolment.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
        notify(enrolment, "training_enrolment_cancelled", by_staff=staff)
        if freed:
            waitlist.release(session)
    return enrolment


# Sessions and rooms -----------------------------------------------------------


def add_slots(session, days, periods, *, by, module=""):
    """Create the half-days and reserve the room for each; all or nothing (a clash rolls everything back)."""
    created = []
    with transaction.atomic():
        session = lock_session(session)
        for day in days:
            for period in periods:
                if session.slots.filter(date=day, period=period).exists():
                    raise ValidationError(
                        _("The session already has the half-day %(slot)s.") % {"slot": Slot(date=day, period=period)},
                        code="duplicate",
                    )
                slot = Slot.objects.create(session=session, date=day, period=period, module=module)
                if session.room_id:
                    slot.booking = reserve(session, slot, by)
                    slot.save(update_fields=["booking"])
                created.append(slot)
    return created


def reserve(session, slot, by):
    try:
        return coworking.reserve_room(
            session.room,
            slot.start,
            slot.end,
            purpose=_("Training: %(title)s") % {"title": session.title},
            booked_by=by,
        )
    except ValidationError as error:
        raise ValidationError(
            _("%(room)s cannot be reserved for %(slot)s: %(error)s")
            % {"room": session.room, "slot": slot, "error": " ".join(error.messages)},
            code="room",
        ) from None


def remove_slot(slot, *, by):
    with transaction.atomic():
        if slot.attendances.exists():
            raise ValidationError(_("This half-day already has signatures: it cannot be removed."), code="signed")
        if slot.booking_id:
            coworking.cancel_reservation(slot.booking, by=by)
        slot.delete()


def cancel_session(session, *, reason, by=None):
    """Cancel a session: release the room, cancel every place, tell trainees and waiting people."""
    with transaction.atomic():
        session = lock_session(session)
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be cancelled."), code="not_scheduled")
        session.status = Session.Status.CANCELLED
        session.cancellation_reason = reason
        session.cancelled_at = timezone.now()
        session.save(update_fields=["status", "cancellation_reason", "cancelled_at"])
        for slot in session.slots.exclude(booking=None).select_related("booking"):
            coworking.cancel_reservation(slot.booking, by=by)
        for enrolment in session.enrolments.active().select_related("trainee"):
            enrolment.status = Enrolment.Status.CANCELLED
            enrolment.cancelled_at = session.cancelled_at
            enrolment.cancellation_reason = reason
            enrolment.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
            notify(enrolment, "training_session_cancelled", reason=reason)
        for entry in WaitingListEntry.objects.for_target(session).active().select_related("user"):
            waitlist.withdraw(entry)
            if entry.user_id:
                send_templated_email(
                    entry.user.email,
                    "training_session_cancelled",
                    {"session": session, "start": session.dates()[0], "trainee": entry.user, "reason": reason},
                    language=entry.user.preferred_language,
                )
    return session


def cancel_sessions_below_minimum(today=None):
    """Cancel the sessions whose minimum is not reached on their check date; returns them."""
    today = today or timezone.localdate()
    due = Session.objects.scheduled().with_enrolled_count().filter(minimum_check_date__lte=today)
    cancelled = []
    for session in due:
        if session.enrolled_count >= session.minimum:
            continue
        reason = _("Not enough trainees: %(count)s enrolled on %(date)s, %(minimum)s needed.") % {
            "count": session.enrolled_count,
            "date": session.minimum_check_date.strftime("%d/%m/%Y"),
            "minimum": session.minimum,
        }
        cancelled.append(cancel_session(session, reason=reason))
    return cancelled


# Waiting list -----------------------------------------------------------------


def accept_from_waitlist(entry):
    """Called by the waiting list when a person accepts an offer: their seat becomes an enrolment."""
    session = entry.target
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This session is not open any more."), code="closed")
    enrolment_pk = entry.payload.get("enrolment")
    if enrolment_pk:
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_pk, session=session)
        if enrolment.status != Enrolment.Status.APPLIED:
            raise ValidationError(_("This application is no longer open."), code="not_applied")
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status"])
    else:
        enrolment = create_enrolment(session, entry.user, Enrolment.Status.ENROLLED, entry.payload)
    notify(enrolment, "training_enrolled", from_waitlist=True)
    return enrolment


# Attendance -----------------------------------------------------------------------


def sign(slot, enrolment, signature, *, by, via, user_agent="", ip_address=None, now=None):
    """Record a drawn signature for enrolment on slot; refused (nothing written) outside the signing window."""
    now = now or timezone.now()
    with transaction.atomic():
        slot = Slot.objects.select_for_update().select_related("session").get(pk=slot.pk)
        slot.check_signable(now)
        if enrolment.session_id != slot.session_id or enrolment.status != Enrolment.Status.ENROLLED:
            raise ValidationError(_("This person is not enrolled in this session."), code="not_enrolled")
        attendance = Attendance.objects.filter(slot=slot, enrolment=enrolment).first()
        if attendance is not None and attendance.status == Attendance.Status.PRESENT:
            raise ValidationError(_("This half-day is already signed."), code="already_signed")
        attendance = attendance or Attendance(slot=slot, enrolment=enrolment)
        attendance.status = Attendance.Status.PRESENT
        attendance.absence_reason = attendance.absence_details = ""
        attendance.signed_at, attendance.signed_via, attendance.recorded_by = now, via, by
        attendance.user_agent, attendance.ip_address = user_agent[:300], ip_address
        attendance.signature.save(f"{slot.pk}-{enrolment.pk}.png", signature, save=False)
        attendance.save()
    return attendance


def mark_absent(slot, enrolment, *, reason, details="", by):
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        if slot.is_locked:
            raise ValidationError(_("This sheet is locked: record a correction with its reason."), code="locked")
        if enrolment.session_id != slot.session_id:
            raise ValidationError(_("This person is not enrolled in this session."), code="not_enrolled")
        attendance = Attendance.objects.filter(slot=slot, enrolment=enrolment).first()
        if attendance is not None and attendance.status == Attendance.Status.PRESENT:
            raise ValidationError(_("This trainee has signed: correct it once the sheet is locked."), code="signed")
        attendance = attendance or Attendance(slot=slot, enrolment=enrolment)
        attendance.status, attendance.recorded_by = Attendance.Status.ABSENT, by
        attendance.absence_reason, attendance.absence_details = reason, details
        attendance.signed_via = Attendance.Device.STAFF
        attendance.save()
    return attendance


def sign_as_trainer(slot, signature, *, by, now=None):
    """The trainer's signature closes the half-day: the sheet is locked, later changes are logged."""
    now = now or timezone.now()
    with transaction.atomic():
        slot = Slot.objects.select_for_update().select_related("session").get(pk=slot.pk)
        if slot.is_locked:
            raise ValidationError(_("This sheet is already signed and locked."), code="locked")
        if not slot.has_started(now):
            raise ValidationError(_("This half-day has not started yet."), code="not_started")
        missing = slot.session.enrolments.enrolled().exclude(attendances__slot=slot).select_related("trainee")
        if missing:
            raise ValidationError(
                _("Record a signature or an absence for every trainee first: %(names)s.")
                % {"names": ", ".join(str(e.trainee) for e in missing)},
                code="incomplete",
            )
        slot.trainer_signature.save(f"trainer-{slot.pk}.png", signature, save=False)
        slot.trainer_signed_by, slot.trainer_signed_at = by, now
        slot.save(update_fields=["trainer_signature", "trainer_signed_by", "trainer_signed_at"])
    return slot


def correct_attendance(
    slot,
    enrolment,
    *,
    status,
    absence_reason="",
    absence_details="",
    unsigned_reason="",
    evidence=None,
    reason,
    by,
):
    """Change a line of a locked sheet; the change is logged with its before and after.

    A presence without the trainee's signature keeps its reason and its evidence (a checked upload):
    the constraint on Attendance refuses it otherwise.
    """
    if not reason.strip():
        raise ValidationError(_("Give the reason for this correction."), code="reason")
    if status == Attendance.Status.ABSENT and not absence_reason:
        raise ValidationError(_("Give the reason for the absence."), code="absence_reason")
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        if enrolment.session_id != slot.session_id:
            raise ValidationError(_("This person is not enrolled in this session."), code="not_enrolled")
        attendance = Attendance.objects.filter(slot=slot, enrolment=enrolment).first()
        before = attendance.snapshot() if attendance else None
        attendance = attendance or Attendance(slot=slot, enrolment=enrolment, signed_via=Attendance.Device.STAFF)
        attendance.status, attendance.recorded_by = status, by
        if status == Attendance.Status.PRESENT:
            absence_reason = absence_details = ""
            if not attendance.signature:
                attendance.unsigned_reason = unsigned_reason.strip()
                if evidence is not None:
                    attendance.evidence = evidence
        attendance.absence_reason, attendance.absence_details = absence_reason, absence_details
        attendance.validate_constraints()
        attendance.save()
        AttendanceChange.objects.create(
            slot=slot, enrolment=enrolment, changed_by=by, before=before, after=attendance.snapshot(), reason=reason
        )
    return attendance


# Completion and certificates ---------------------------------------------------------


def complete_session(session, *, by=None, now=None):
    """Close a session whose sheets are all signed: hours attended, certificates, coworking exemption."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session)
        slots = list(session.slots.all())
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be completed."), code="not_scheduled")
        if not slots or any(not slot.is_locked for slot in slots):
            raise ValidationError(
                _("Every half-day sheet must be signed by the trainer before the session is completed."),
                code="unsigned",
            )
        planned = sum((slot.hours for slot in slots), Decimal("0")) + session.programme_version.distance_hours
        enrolments = list(session.enrolments.enrolled().select_related("trainee"))
        hours = {enrolment.pk: enrolment.compute_hours() for enrolment in enrolments}
        unassessed = [
            str(e.trainee) for e in enrolments if sum(hours[e.pk][::2]) > 0 and e.outcome == Enrolment.Outcome.PENDING
        ]
        if unassessed:
            raise ValidationError(
                _("Enter the assessment result of each trainee first (it goes on their attestation): %(names)s.")
                % {"names": ", ".join(unassessed)},
                code="unassessed",
            )
        for enrolment in enrolments:
            enrolment.attended_hours, enrolment.unsigned_hours, enrolment.distance_hours = hours[enrolment.pk]
            if enrolment.total_hours >= planned * COMPLETION_SHARE:
                enrolment.completed_at = now
            enrolment.save(update_fields=["attended_hours", "unsigned_hours", "distance_hours", "completed_at"])
            if enrolment.total_hours > 0:
                issue_certificates(enrolment, slots, now)
            if enrolment.completed_at and session.programme_version.programme.grants_coworking_exemption:
                with translation.override(settings.LANGUAGE_CODE):
                    reason = _("Completed the training “%(title)s”") % {"title": session.title}
                coworking.grant_training_exemption(
                    enrolment.trainee,
                    reason=reason,
                    start=timezone.localtime(now).date(),
                )
        session.status, session.completed_at = Session.Status.COMPLETED, now
        session.save(update_fields=["status", "completed_at"])
    return session


def issue_certificates(enrolment, slots, now):
    session, version = enrolment.session, enrolment.session.programme_version
    data = {
        "trainee": enrolment.trainee.get_full_name() or enrolment.trainee.email,
        "employer": enrolment.employer,
        "title": version.title,
        "version": version.number,
        "nature": version.get_nature_display(),
        "objectives": version.objective_list(),
        "start": slots[0].date.isoformat(),
        "end": slots[-1].date.isoformat(),
        "planned_hours": str(sum((slot.hours for slot in slots), Decimal("0")) + version.distance_hours),
        "planned_in_person_hours": str(sum((slot.hours for slot in slots), Decimal("0"))),
        "planned_distance_hours": str(version.distance_hours),
        "attended_hours": str(enrolment.total_hours),
        "in_person_hours": str(enrolment.attended_hours),
        "unsigned_hours": str(enrolment.unsigned_hours or Decimal("0")),
        "distance_hours": str(enrolment.distance_hours or Decimal("0")),
        "place": session.place,
        "funding": enrolment.get_funding_display(),
        "outcome": enrolment.get_outcome_display(),
        "outcome_notes": enrolment.outcome_notes,
    }
    issued = []
    for kind, prefix in [(Certificate.Kind.COMPLETION, "CR"), (Certificate.Kind.ATTESTATION, "AF")]:
        number = f"{prefix}-{now:%Y}-{enrolment.pk:05d}"
        certificate, _created = Certificate.objects.get_or_create(
            enrolment=enrolment, kind=kind, defaults={"number": number, "issued_at": now, "data": data}
        )
        issued.append(certificate)
    send_certificates(enrolment)
    return issued


def send_certificates(enrolment):
    """Email the trainee their certificates, the PDFs attached (also what staff use to send them again)."""
    from telecentre.training import documents

    trainee = enrolment.trainee
    attachments = [
        (c.filename, documents.certificate_pdf(c), "application/pdf") for c in enrolment.certificates.order_by("kind")
    ]
    send_templated_email(
        trainee.email,
        "training_certificates_ready",
        {"enrolment": enrolment, "session": enrolment.session, "trainee": trainee},
        language=trainee.preferred_language,
        attachments=attachments,
    )


# Surveys ------------------------------------------------------------------------------


SURVEY_REMINDER_AFTER = datetime.timedelta(days=7)
SURVEY_MAX_REMINDERS = 2


def survey_respondents(questionnaire, session):
    """(name, email, enrolment) of the people this questionnaire asks about `session` (Qualiopi indicator 30)."""
    audience = Questionnaire.AUDIENCE[questionnaire.kind]
    if audience == "trainer":
        return [(t.get_full_name() or t.email, t.email, None) for t in session.trainers.all()]
    enrolments = session.enrolments.enrolled().select_related("trainee", "funder")
    if audience == "funder":
        funders = {e.funder for e in enrolments if e.funder_id}
        return [(f.contact_name, f.contact_email, None) for f in sorted(funders, key=lambda f: f.pk)]
    return [(e.trainee.get_full_name() or e.trainee.email, e.trainee.email, e) for e in enrolments]


def send_survey(response, *, reminder=False):
    enrolment = response.enrolment
    language = enrolment.trainee.preferred_language if enrolment else None
    send_templated_email(
        response.respondent_email,
        "training_survey",
        {
            "response": response,
            "questionnaire": response.questionnaire,
            "session": response.session,
            "reminder": reminder,
        },
        language=language,
    )


def send_surveys(now=None):
    """Send each active questionnaire to its audience for the sessions that ended `delay_days` ago (30-day
    window), then remind those who have not answered after a week, twice at most."""
    now = now or timezone.now()
    sent = []
    for questionnaire in Questionnaire.objects.filter(active=True):
        # Wall-clock arithmetic in Paris time: "60 days later" stays at the same hour across DST.
        due_end = timezone.localtime(now) - datetime.timedelta(days=questionnaire.delay_days)
        sessions = (
            Session.objects.exclude(status=Session.Status.CANCELLED)
            .with_dates()
            .filter(last_end__lte=due_end, last_end__gt=due_end - SURVEY_WINDOW)
            .select_related("programme_version")
        )
        for session in sessions:
            asked = set(questionnaire.responses.filter(session=session).values_list("respondent_email", flat=True))
            for name, email, enrolment in survey_respondents(questionnaire, session):
                if email in asked:
                    continue
                asked.add(email)
                with transaction.atomic():
                    response = SurveyResponse.objects.create(
                        questionnaire=questionnaire,
                        session=session,
                        enrolment=enrolment,
                        respondent_name=name,
                        respondent_email=email,
                        sent_at=now,
                    )
                    send_survey(response)
                sent.append(response)
    return sent + send_survey_reminders(now)


def send_survey_reminders(now=None):
    now = now or timezone.now()
    due = (
        SurveyResponse.objects.filter(answered_at__isnull=True, reminders_sent__lt=SURVEY_MAX_REMINDERS)
        .filter(sent_at__lte=now - SURVEY_REMINDER_AFTER)
        .exclude(last_reminded_at__gt=now - SURVEY_REMINDER_AFTER)
        .select_related("questionnaire", "session__programme_version", "enrolment__trainee")
    )
    reminded = []
    for response in due:
        with transaction.atomic():
            response.reminders_sent += 1
            response.last_reminded_at = now
            response.save(update_fields=["reminders_sent", "last_reminded_at"])
            send_survey(response, reminder=True)
        reminded.append(response)
    return reminded


def record_survey_answers(response, answers, now=None):
    ratings = [value for value in answers.values() if isinstance(value, int)]
    response.answers = answers
    response.satisfaction = Decimal(sum(ratings)) / len(ratings) if ratings else None
    response.answered_at = now or timezone.now()
    response.save(update_fields=["answers", "satisfaction", "answered_at"])
    return response


# Complaints ---------------------------------------------------------------------------


def receive_complaint(complaint, user):
    """Register a complaint from the portal and send the acknowledgement of receipt at once."""
    complaint.complainant = user
    complaint.complainant_name = user.get_full_name() or user.email
    complaint.complainant_email = user.email
    complaint.channel = complaint.Channel.WEBSITE
    if complaint.session_id:
        complaint.programme = complaint.session.programme_version.programme
    with transaction.atomic():
        complaint.save()
        complaint.acknowledge(by=None)
        send_templated_email(
            user.email, "training_complaint_received", {"complaint": complaint}, language=user.preferred_language
        )
    return complaint


def answer_complaint(complaint, response, *, by):
    with transaction.atomic():
        complaint.answer(response, by=by)
        if complaint.complainant_email:
            language = complaint.complainant.preferred_language if complaint.complainant_id else None
            send_templated_email(
                complaint.complainant_email, "training_complaint_answered", {"complaint": complaint}, language=language
            )
    return complaint
