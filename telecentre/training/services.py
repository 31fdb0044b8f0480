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
from organisation.models import Organisation, Signatory
from telecentre.training.models import (
    COMPLETION_SHARE,
    WITHDRAWAL_DAYS,
    Attendance,
    AttendanceChange,
    Certificate,
    Enrolment,
    InternalRules,
    Questionnaire,
    Session,
    Slot,
    SurveyResponse,
    TrainingContract,
)
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry

logger = logging.getLogger(__name__)

OFFER_HOLD = datetime.timedelta(hours=48)
SURVEY_WINDOW = datetime.timedelta(days=30)


def notify(enrolment, template, attachments=(), **context):
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
        attachments=attachments,
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
    if existing is not None and existing.status in Enrolment.SEATED:
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
        enrolment = create_enrolment(session, trainee, Enrolment.Status.AWAITING, details)
        give_seat(enrolment)
        return enrolment, None


def give_seat(enrolment, *, from_waitlist=False):
    """The seat is the trainee's: final at once, or held while the contract awaits their signature (L6353-3)."""
    enrolment.status = enrolment.seat_status()
    enrolment.save(update_fields=["status"])
    if enrolment.status == Enrolment.Status.AWAITING:
        issue_contract(enrolment)
        notify(enrolment, "training_contract_to_sign", contract=enrolment.contract)
    else:
        notify(enrolment, "training_enrolled", from_waitlist=from_waitlist)
        send_convocation_if_due(enrolment)
    return enrolment


def create_enrolment(session, trainee, status, details):
    fields = {key: details[key] for key in Enrolment.DETAILS if key in details}
    try:
        with transaction.atomic():
            return Enrolment.objects.create(session=session, trainee=trainee, status=status, **fields)
    except IntegrityError:
        raise ValidationError(_("You are already enrolled in this session."), code="already_enrolled") from None


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
            enrolment.save()
            give_seat(enrolment)
            return enrolment, None
        enrolment.save()
        entry = waitlist.join(session, user=enrolment.trainee, payload={"enrolment": enrolment.pk})
        notify(enrolment, "training_selected_waiting", position=waitlist.position(entry))
        return enrolment, entry


def cancel_enrolment(
    enrolment, *, by, reason="", staff=False, today=None, notice="training_enrolment_cancelled", held_only=False
):
    """Cancel an application or a seat; a freed seat is offered to the waiting list in arrival order.

    held_only: cancel only a seat still held for an unsigned contract (it may have been signed meanwhile)."""
    with transaction.atomic():
        session = lock_session(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in (Enrolment.Status.APPLIED, *Enrolment.SEATED):
            raise ValidationError(_("This enrolment is already cancelled."), code="not_active")
        if held_only and enrolment.status != Enrolment.Status.AWAITING:
            raise ValidationError(_("The contract was signed: the seat is final."), code="signed")
        if not staff and not enrolment.can_cancel(today):
            raise ValidationError(
                _("The last day to cancel was %(date)s: contact the training team.")
                % {"date": session.cancellation_deadline.strftime("%d/%m/%Y")},
                code="deadline",
            )
        freed = enrolment.status in Enrolment.SEATED
        contract = enrolment.signed_contract()
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.cancelled_at = timezone.now()
        enrolment.cancellation_reason = reason
        enrolment.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
        if contract is not None and contract.in_withdrawal_period(today):
            contract.withdrawn_at = enrolment.cancelled_at
            contract.save(update_fields=["withdrawn_at"])
        notify(enrolment, notice, by_staff=staff)
        if freed:
            waitlist.release(session)
    return enrolment


def release_unsigned_seats(today=None):
    """Give back to the waiting list every seat held for a contract not signed by its last day (daily, safe to run
    twice: a seat signed or released meanwhile is left alone)."""
    today = today or timezone.localdate()
    held = Enrolment.objects.filter(status=Enrolment.Status.AWAITING, contract__isnull=False)
    released = []
    for enrolment in held.select_related("contract", "session"):
        last_day = enrolment.contract.sign_by()
        if last_day >= today:
            continue
        try:
            released.append(
                cancel_enrolment(
                    enrolment,
                    by=None,
                    reason=_("Contract not signed by %(date)s.") % {"date": last_day.strftime("%d/%m/%Y")},
                    staff=True,
                    today=today,
                    notice="training_seat_released",
                    held_only=True,
                )
            )
        except ValidationError:
            continue
    return released


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
    else:
        enrolment = create_enrolment(session, entry.user, Enrolment.Status.AWAITING, entry.payload)
    return give_seat(enrolment, from_waitlist=True)


# Contracts, agreements and convocations -----------------------------------------------

CONVOCATION_DAYS = 7  # the convocation leaves a week before the first half-day (or at once when later)


def issue_contract(enrolment, now=None):
    """Freeze the terms of the contract (self-paying trainee) or of the agreement (funder): programme version,
    session, trainers' titles, the organisation and its signatory, the price and its schedule, the internal rules."""
    now = now or timezone.now()
    existing = TrainingContract.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    rules = InternalRules.in_force(timezone.localtime(now).date())
    if rules is None:
        raise ValidationError(
            _("The training body has no internal rules in force: the training manager adds them in the back office."),
            code="no_rules",
        )
    kind = TrainingContract.Kind.CONTRACT if enrolment.needs_contract else TrainingContract.Kind.AGREEMENT
    prefix = "CF" if kind == TrainingContract.Kind.CONTRACT else "CV"
    contract = TrainingContract(
        enrolment=enrolment,
        kind=kind,
        number=f"{prefix}-{timezone.localtime(now):%Y}-{enrolment.pk:05d}",
        issued_at=now,
        price=enrolment.agreed_price(),
        internal_rules=rules,
    )
    contract.terms = contract_terms(contract)
    contract.document_hash = TrainingContract.fingerprint(contract.terms)
    contract.save()
    return contract


def body_terms():
    """The training body as the documents name it, from the organisation record, with its signatory."""
    organisation = Organisation.current()
    signatory = organisation.signatory_for(Signatory.Kind.TRAINING_DOCUMENTS) if organisation.pk else None
    if signatory is None or not organisation.legal_name:
        raise ValidationError(
            _(
                "The director names the body's identity and the signatory of training documents in the back "
                "office (Body running the site) before contracts can be issued."
            ),
            code="no_signatory",
        )
    return {
        "name": organisation.legal_name,
        "address": organisation.postal_address,
        "town": organisation.town,
        "nda": organisation.training_nda,
        "siret": organisation.training_siret,
        "signatory": signatory.terms(),
    }


def contract_terms(contract):
    enrolment = contract.enrolment
    session, version = enrolment.session, enrolment.session.programme_version
    slots = list(session.slots.order_by("start"))
    trainers = session.trainers.select_related("trainer_profile").order_by("last_name", "first_name")
    with translation.override(settings.LANGUAGE_CODE):
        terms = {
            "number": contract.number,
            "issued_on": timezone.localtime(contract.issued_at).strftime("%d/%m/%Y"),
            "body": body_terms(),
            "trainee": {
                "name": enrolment.trainee.get_full_name() or enrolment.trainee.email,
                "email": enrolment.trainee.email,
            },
            "programme": {
                "title": version.title,
                "version": version.number,
                "nature": str(version.get_nature_display()).lower(),
                "summary": version.summary,
                "objectives": version.objective_list(),
                "prerequisites": version.prerequisites,
                "methods": str(version.get_methods_display()),
                "methods_details": version.methods_details,
                "assessment": version.assessment,
                "duration_hours": str(version.duration_hours),
                "in_person_hours": str(version.in_person_hours),
                "distance_hours": str(version.distance_hours),
                "access_delay": version.access_delay,
                "cpf_code": version.cpf_code,
                "certifier": version.certifier,
                "certification_registered_on": version.certification_registered_on.strftime("%d/%m/%Y")
                if version.certification_registered_on
                else "",
                "accessibility_statement": version.accessibility_statement,
                "disability_referent": version.disability_referent,
                "disability_referent_contact": version.disability_referent_contact,
            },
            "session": {
                "place": session.place,
                "start": slots[0].date.strftime("%d/%m/%Y") if slots else "",
                "end": slots[-1].date.strftime("%d/%m/%Y") if slots else "",
                "half_days": [
                    {
                        "date": s.date.strftime("%d/%m/%Y"),
                        "start": timezone.localtime(s.start).strftime("%H:%M"),
                        "end": timezone.localtime(s.end).strftime("%H:%M"),
                        "module": s.module,
                    }
                    for s in slots
                ],
            },
            "trainers": [
                {
                    "name": t.get_full_name() or t.email,
                    "titles": t.trainer_profile.titles if hasattr(t, "trainer_profile") else "",
                }
                for t in trainers
            ],
            "price": str(contract.price),
            "withdrawal_days": WITHDRAWAL_DAYS,
            "internal_rules": {"version": contract.internal_rules.version, "text": contract.internal_rules.text},
        }
    if contract.kind == TrainingContract.Kind.AGREEMENT and enrolment.funder_id:
        funder = enrolment.funder
        terms["funder"] = {
            "name": funder.name,
            "address": funder.address,
            "siret": funder.siret,
            "contact": funder.contact_name,
            "email": funder.contact_email,
        }
    return terms


def sign_contract(contract, signature, *, document_hash, ip_address=None, user_agent="", now=None):
    """The trainee signs the contract they read (same fingerprint); the body's signatory countersigns; the
    enrolment becomes final and the ten-day withdrawal period runs from now (L6353-5)."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_session(contract.enrolment.session)
        contract = TrainingContract.objects.select_for_update().select_related("enrolment__trainee").get(pk=contract.pk)
        enrolment = contract.enrolment
        if contract.kind != TrainingContract.Kind.CONTRACT or enrolment.status != Enrolment.Status.AWAITING:
            raise ValidationError(_("There is no contract to sign for this enrolment."), code="nothing_to_sign")
        if document_hash != contract.document_hash or TrainingContract.fingerprint(contract.terms) != document_hash:
            raise ValidationError(
                _("The contract changed while you were reading it: read it again before signing."), code="changed"
            )
        signatory = body_terms()["signatory"]
        contract.signature.save(f"contract-{contract.pk}.png", signature, save=False)
        contract.signed_at, contract.signer_ip, contract.signer_user_agent = now, ip_address, user_agent[:300]
        contract.withdrawal_deadline = TrainingContract.withdrawal_deadline_for(now)
        contract.countersigned_at = now
        contract.countersigned_by_name, contract.countersigned_by_quality = signatory["name"], signatory["quality"]
        contract.save()
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status"])
        from telecentre.training import documents

        notify(
            enrolment,
            "training_contract_signed",
            contract=contract,
            attachments=[(f"contrat-{contract.number}.pdf", documents.contract_pdf(contract), "application/pdf")],
        )
        send_convocation_if_due(enrolment, now=now)
    return contract


def send_agreement(enrolment, *, now=None):
    """Issue the training agreement and email it to the funder's contact (L6353-1, D6353-1)."""
    from telecentre.training import documents

    now = now or timezone.now()
    if not enrolment.needs_agreement:
        raise ValidationError(_("This funding needs no training agreement."), code="no_agreement")
    if enrolment.funder_id is None:
        raise ValidationError(
            _("Choose the funder of this enrolment in the back office first: the agreement goes to its contact."),
            code="no_funder",
        )
    with transaction.atomic():
        contract = issue_contract(enrolment, now=now)
        funder = enrolment.funder
        send_templated_email(
            funder.contact_email,
            "training_agreement",
            {"contract": contract, "funder": funder, "enrolment": enrolment, "session": enrolment.session},
            language=settings.LANGUAGE_CODE,
            attachments=[(f"convention-{contract.number}.pdf", documents.contract_pdf(contract), "application/pdf")],
        )
        contract.sent_at, contract.sent_to = now, funder.contact_email
        contract.save(update_fields=["sent_at", "sent_to"])
    return contract


def send_convocation(enrolment, now=None):
    """The convocation by email (its PDF stays in the trainee's space): dates, place, hours, access, contacts."""
    now = now or timezone.now()
    notify(enrolment, "training_convocation", **convocation_context(enrolment))
    enrolment.convocation_sent_at = now
    enrolment.save(update_fields=["convocation_sent_at"])


def convocation_context(enrolment):
    session = enrolment.session
    organisation = Organisation.current()
    return {
        "slots": list(session.slots.order_by("start")),
        "version": session.programme_version,
        "organisation": organisation,
        "trainers": list(session.trainers.all()),
    }


def send_convocation_if_due(enrolment, now=None):
    now = now or timezone.now()
    start = enrolment.session.dates()[0]
    if start is not None and start <= timezone.localtime(now).date() + datetime.timedelta(days=CONVOCATION_DAYS):
        send_convocation(enrolment, now)


def send_due_convocations(now=None):
    """The convocation of every final enrolment whose session starts within a week (daily command)."""
    now = now or timezone.now()
    horizon = timezone.localtime(now) + datetime.timedelta(days=CONVOCATION_DAYS + 1)
    enrolments = (
        Enrolment.objects.enrolled()
        .filter(session__status=Session.Status.SCHEDULED, convocation_sent_at__isnull=True)
        .filter(session__in=Session.objects.with_dates().filter(first_start__lt=horizon, first_start__gt=now))
        .select_related("trainee", "session__programme_version", "session__commune")
    )
    sent = []
    for enrolment in enrolments:
        with transaction.atomic():
            send_convocation(enrolment, now)
        sent.append(enrolment)
    return sent


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
    """The certificate of completion (the Ministry's model) and the end-of-training attestation, their content
    frozen: the body and its signatory as they are today, the hours in person, without signature and at a
    distance."""
    session, version = enrolment.session, enrolment.session.programme_version
    data = {
        "trainee": enrolment.trainee.get_full_name() or enrolment.trainee.email,
        "employer": enrolment.employer,
        "title": version.title,
        "version": version.number,
        "nature": version.get_nature_display(),
        "nature_code": version.nature,
        "body": body_terms(),
        "objectives": version.objective_list(),
        "start": slots[0].date.isoformat(),
        "end": slots[-1].date.isoformat(),
        "planned_hours": str(sum((slot.hours for slot in slots), Decimal("0")) + version.distance_hours),
        "planned_in_person_hours": str(sum((slot.hours for slot in slots), Decimal("0"))),
        "planned_distance_hours": str(version.distance_hours),
        "attended_hours": str(enrolment.total_hours),
        "in_person_hours": str(enrolment.attended_hours or Decimal("0")),
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
