"""Committee operations: each runs in one transaction on the locked meeting row.

API (see the module docstring of ``committees.models`` for the models)::

    open_meeting(meeting) -> meeting
    close_meeting(meeting, user) -> meeting
    reschedule_meeting(meeting, starts_at, reason, user) -> meeting
    set_attendance(meeting, membership, status) -> Attendance
    declare_conflict(item, membership, reason) -> ConflictOfInterest
    record_decisions(item, drafts, recorded_by) -> list[Decision]
    departures(drafts) -> set[int]

Every function raises ``django.core.exceptions.ValidationError`` with a message
meant for the user (and writes nothing) when a rule is broken: meeting not open
or already closed, quorum not reached, a reason or a justification missing, a
member of another committee, a conflict declared after the item was decided.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Attendance, ConflictOfInterest, Decision, Meeting, Reschedule
from core.dates import long_datetime


@dataclass
class Draft:
    """One decision the members are about to record on an item."""

    subject: Any
    outcome: str
    reason: str
    rank: int | None = None
    proposed_rank: int | None = None
    justification: str = ""


def _lock(meeting):
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def _require_open(meeting):
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed: its decisions can no longer be changed."), code="closed")
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("Open the meeting before recording decisions."), code="not_open")


def _save_in_time(meeting, fields):
    """Save a meeting just opened or closed; the held-in-time constraint refuses it before its scheduled time."""
    try:
        meeting.validate_constraints()
    except ValidationError as error:
        raise ValidationError(
            _("This meeting is scheduled for %(date)s: it cannot be opened or closed before, reschedule it.")
            % {"date": long_datetime(meeting.starts_at)},
            code="too_early",
        ) from error
    meeting.save(update_fields=fields)


def open_meeting(meeting):
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.status != Meeting.Status.PLANNED:
            raise ValidationError(_("Only a planned meeting can be opened."), code="not_planned")
        locked.status = Meeting.Status.OPEN
        locked.opened_at = timezone.now()
        _save_in_time(locked, ["status", "opened_at"])
    return locked


def close_meeting(meeting, user):
    """Close the meeting: from now on its decisions are read-only."""
    with transaction.atomic():
        locked = _lock(meeting)
        _require_open(locked)
        locked.status = Meeting.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = user
        _save_in_time(locked, ["status", "closed_at", "closed_by"])
    return locked


def reschedule_meeting(meeting, starts_at, reason, user):
    """Move a planned meeting to another date and time; the change and its reason are kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the meeting is moved."), code="reason_required")
    if starts_at < timezone.now():
        # Moving a meeting into the past would let it be held before the date the members were called for.
        raise ValidationError(_("A meeting can only be moved to a date and time to come."), code="in_the_past")
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.status != Meeting.Status.PLANNED:
            raise ValidationError(_("Only a planned meeting can be rescheduled."), code="not_planned")
        Reschedule.objects.create(
            meeting=locked, previous_starts_at=locked.starts_at, starts_at=starts_at, reason=reason, changed_by=user
        )
        locked.starts_at = starts_at
        locked.save(update_fields=["starts_at"])
    return locked


def set_attendance(meeting, membership, status):
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.is_closed:
            raise ValidationError(_("The meeting is closed: attendance can no longer be changed."), code="closed")
        if membership.committee_id != locked.committee_id:
            raise ValidationError(_("This person is not a member of this committee."), code="not_member")
        attendance, _created = Attendance.objects.update_or_create(
            meeting=locked, membership=membership, defaults={"status": status}
        )
    return attendance


def declare_conflict(item, membership, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say what the interest is (family, neighbour, business partner...)."), code="reason_required"
        )
    with transaction.atomic():
        meeting = _lock(item.meeting)
        if meeting.is_closed:
            raise ValidationError(_("The meeting is closed: declarations can no longer be added."), code="closed")
        if membership.committee_id != meeting.committee_id:
            raise ValidationError(_("This person is not a member of this committee."), code="not_member")
        if Decision.objects.current().filter(item=item, participants=membership).exists():
            raise ValidationError(
                _(
                    "This member already took part in a decision on this case: record the decision again "
                    "after the declaration."
                ),
                code="already_decided",
            )
        conflict, created = ConflictOfInterest.objects.get_or_create(
            item=item, membership=membership, defaults={"reason": reason}
        )
        if not created:
            raise ValidationError(
                _("This member has already declared a conflict of interest on this case."), code="duplicate"
            )
    return conflict


def departures(drafts):
    """Indexes of the drafts that depart from the order proposed by the scores."""
    accepted = [i for i, d in enumerate(drafts) if d.outcome == Decision.Outcome.ACCEPTED]
    proposed = [i for i in accepted if drafts[i].proposed_rank is not None]
    by_rank = sorted(proposed, key=lambda i: (drafts[i].rank or 0, drafts[i].proposed_rank))
    by_proposal = sorted(proposed, key=lambda i: drafts[i].proposed_rank)
    result = {i for i, j in zip(by_rank, by_proposal, strict=True) if i != j}
    worst_accepted = max((drafts[i].proposed_rank for i in proposed), default=None)
    if worst_accepted is not None:
        result |= {
            i
            for i, d in enumerate(drafts)
            if d.outcome != Decision.Outcome.ACCEPTED
            and d.proposed_rank is not None
            and d.proposed_rank < worst_accepted
        }
    return result


def _check_drafts(drafts, departing):
    errors = []
    ranks = [d.rank for d in drafts if d.outcome == Decision.Outcome.ACCEPTED]
    for index, draft in enumerate(drafts):
        label = str(draft.subject)
        if not (draft.reason or "").strip():
            errors.append(_("%(case)s: write the reason for the decision.") % {"case": label})
        if draft.outcome == Decision.Outcome.ACCEPTED and not draft.rank:
            errors.append(_("%(case)s: give a rank to an accepted case.") % {"case": label})
        if draft.outcome != Decision.Outcome.ACCEPTED and draft.rank:
            errors.append(_("%(case)s: only an accepted case has a rank.") % {"case": label})
        if index in departing and not (draft.justification or "").strip():
            errors.append(
                _(
                    "%(case)s: this decision departs from the order proposed by the scores; write why "
                    "(a skipped candidate needs a written reason)."
                )
                % {"case": label}
            )
    if len(set(ranks)) != len(ranks):
        errors.append(_("Two cases cannot have the same rank."))
    if errors:
        raise ValidationError(errors, code="invalid_decisions")


def record_decisions(item, drafts, recorded_by):
    """Record the members' decisions on an item, all or nothing.

    Earlier current decisions on the same subjects are superseded (kept, marked).
    """
    drafts = list(drafts)
    if not drafts:
        raise ValidationError(_("There is no decision to record."), code="empty")
    departing = departures(drafts)
    _check_drafts(drafts, departing)
    with transaction.atomic():
        meeting = _lock(item.meeting)
        _require_open(meeting)
        voters = list(meeting.voters_for(item))
        required = meeting.quorum_required()
        if len(voters) < required:
            raise ValidationError(
                _(
                    "Quorum not reached for this case: %(present)s voting member(s) present without a conflict "
                    "of interest, %(required)s required. Record attendance or postpone the case."
                )
                % {"present": len(voters), "required": required},
                code="no_quorum",
            )
        item.meeting = meeting
        now = timezone.now()
        keyed = [(ContentType.objects.get_for_model(d.subject), d) for d in drafts]
        previous = {
            (decision.subject_type_id, decision.subject_id): decision
            for decision in Decision.objects.current().filter(item=item)
        }
        replaced = [previous.pop((ct.pk, d.subject.pk), None) for ct, d in keyed]
        taken = {decision.rank for decision in previous.values() if decision.rank}
        if taken & {d.rank for d in drafts if d.outcome == Decision.Outcome.ACCEPTED}:
            raise ValidationError(_("Two cases cannot have the same rank."), code="duplicate_rank")
        for old in replaced:
            if old is not None:
                old.item = item
                old.superseded_at = now
                old.save(update_fields=["superseded_at"])
        recorded = []
        for index, ((subject_type, draft), old) in enumerate(zip(keyed, replaced, strict=True)):
            departs = index in departing
            decision = Decision.objects.create(
                item=item,
                subject_type=subject_type,
                subject_id=draft.subject.pk,
                outcome=draft.outcome,
                rank=draft.rank if draft.outcome == Decision.Outcome.ACCEPTED else None,
                proposed_rank=draft.proposed_rank,
                reason=draft.reason.strip(),
                departs_from_proposal=departs,
                justification=(draft.justification or "").strip() if departs else "",
                voters_count=len(voters),
                quorum_required=required,
                recorded_by=recorded_by,
            )
            decision.participants.set(voters)
            if old is not None:
                old.superseded_by = decision
                old.save(update_fields=["superseded_by"])
            recorded.append(decision)
    return recorded
