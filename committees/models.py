"""Committees: a generic, shared mechanism for collegial decisions on cases.

Used by housing (the allocation committee for bridge housing and entrepreneur
residences) and by the newcomer journey (the selection jury). Nothing here knows
about housing or journeys: a case is any model instance, reached through a
GenericForeignKey.

Models
------
- ``Committee(name, kind, description, is_active)``; ``Committee.Kind``: HOUSING,
  RESIDENCE, SELECTION, DELEGATED (one officer deciding urgent cases), OTHER.
- ``Membership(committee, user?, name, organisation, role, is_active)``;
  ``Membership.Role``: CHAIR, MEMBER (both vote), ADVISORY, SECRETARY (neither votes
  nor counts toward a quorum). ``membership.is_voting``.
- ``Meeting(committee, starts_at, place, quorum_kind, quorum_number, status,
  opened_at, closed_at, closed_by, notes)``; ``Meeting.Status``: PLANNED, OPEN,
  CLOSED; ``Meeting.QuorumKind``: MAJORITY (more than half of the voting members),
  THIRD (at least a third), FIXED (``quorum_number`` voting members).
  ``meeting.quorum_required()``, ``meeting.voters_for(item)`` (present voting
  members without a conflict on the item), ``meeting.has_quorum(item)``,
  ``meeting.quorum_for(item)`` (all three figures in one query: a ``Quorum(voters,
  required)`` with ``.reached``).
- ``Reschedule(meeting, previous_starts_at, starts_at, reason, changed_by, changed_at)``: a planned
  meeting moved to another date, with why. A meeting is never opened nor closed before its ``starts_at``
  (constraint ``committees_meeting_held_in_time``).
- ``Attendance(meeting, membership, status)``; ``Attendance.Status``: PRESENT,
  EXCUSED, ABSENT.
- ``AgendaItem(meeting, position, title, subject)``: one case brought to the
  meeting (a unit to allocate, a candidate's file...). ``subject`` is optional.
- ``ConflictOfInterest(item, membership, reason)``: the member does not take part
  in that item's decisions and does not count toward its quorum.
- ``Decision(item, subject, outcome, rank, proposed_rank, reason,
  departs_from_proposal, justification, participants, voters_count,
  quorum_required, recorded_by, recorded_at, superseded_at, superseded_by)``;
  ``Decision.Outcome``: ACCEPTED (allocated / accepted), REJECTED (not allocated /
  rejected), INADMISSIBLE, DEFERRED. A decision is never edited: recording a new
  one on the same (item, subject) while the meeting is open supersedes the old
  row, which is kept. Once the meeting is closed nothing can be saved or deleted.
  ``Decision.objects.current()`` hides superseded rows; ``.for_subject(obj)``.

Rules held by the database: a reason is always written; ACCEPTED needs a rank
and only ACCEPTED has one; a departure from the proposed order needs a written
justification; one current decision per (item, subject); one current rank per
item.

Functions (``committees.services``; every one raises ``ValidationError`` with a
message for the user and writes nothing on failure)::

    open_meeting(meeting)                 # not before its starts_at
    close_meeting(meeting, user)          # not before its starts_at
    reschedule_meeting(meeting, starts_at, reason, user)
    set_attendance(meeting, membership, status)
    declare_conflict(item, membership, reason)
    record_decisions(item, drafts, recorded_by) -> list[Decision]
    departures(drafts) -> set[int]        # indexes of drafts that depart from the proposed order

``drafts`` are ``committees.services.Draft(subject, outcome, reason, rank=None,
proposed_rank=None, justification="")``: all the decisions of one item taken
together (a ranking). A draft departs from the proposed order when an accepted
draft's place among the accepted differs from its place by proposed rank, or
when a draft that is not accepted had a better proposed rank than an accepted
one (a skipped candidate).

Minutes (``committees.minutes``)::

    minutes_html(meeting, template_name="committees/minutes.html", context=None) -> str
    minutes_pdf(meeting, template_name="committees/minutes.html", context=None) -> bytes

An app extends ``committees/minutes.html`` and fills ``{% block item_extra %}``
(``item`` is in the context) to add its own content per item.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.dates import long_date


class Committee(models.Model):
    class Kind(models.TextChoices):
        HOUSING = "housing", _("Housing allocation committee")
        RESIDENCE = "residence", _("Entrepreneur residence committee")
        SELECTION = "selection", _("Selection jury")
        DELEGATED = "delegated", _("Delegated decision (urgent procedure)")
        OTHER = "other", _("Other committee")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    description = models.TextField(_("rules and composition"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def voting_members(self):
        return self.memberships.filter(is_active=True, role__in=Membership.VOTING_ROLES)


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Voting member")
        ADVISORY = "advisory", _("Advisory member")
        SECRETARY = "secretary", _("Secretary")

    VOTING_ROLES = (Role.CHAIR, Role.MEMBER)

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("committee")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_memberships",
        verbose_name=_("user account"),
        help_text=_("Optional: elected members often have no account."),
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("represents"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"],
                name="committees_membership_unique_name",
                violation_error_message=_("This person is already a member of this committee."),
            ),
        ]

    def __str__(self):
        if self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name

    @property
    def is_voting(self):
        return self.role in self.VOTING_ROLES


@dataclass(frozen=True)
class Quorum:
    """How many voting members can take part in an item's decisions, and how many must."""

    voters: int
    required: int

    @property
    def reached(self):
        return self.voters >= self.required


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.exclude(status=Meeting.Status.CLOSED)

    def of_kind(self, *kinds):
        return self.filter(committee__kind__in=kinds)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("In session")
        CLOSED = "closed", _("Closed")

    class QuorumKind(models.TextChoices):
        MAJORITY = "majority", _("More than half of the voting members")
        THIRD = "third", _("At least a third of the voting members")
        FIXED = "fixed", _("A fixed number of voting members")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("committee")
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    quorum_kind = models.CharField(
        _("quorum rule"), max_length=10, choices=QuorumKind.choices, default=QuorumKind.MAJORITY
    )
    quorum_number = models.PositiveSmallIntegerField(_("quorum (number of members)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    notes = models.TextField(_("notes for the minutes"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(quorum_kind="fixed") | models.Q(quorum_number__isnull=False, quorum_number__gte=1),
                name="committees_meeting_fixed_quorum_has_number",
                violation_error_message=_("A fixed quorum needs the number of members required (at least 1)."),
            ),
            models.CheckConstraint(
                condition=(models.Q(opened_at__isnull=True) | models.Q(opened_at__gte=models.F("starts_at")))
                & (models.Q(closed_at__isnull=True) | models.Q(closed_at__gte=models.F("starts_at"))),
                name="committees_meeting_held_in_time",
                violation_error_message=_(
                    "A meeting cannot be opened or closed before its scheduled date and time: reschedule it."
                ),
            ),
        ]

    def __str__(self):
        return _("%(committee)s, %(date)s") % {
            "committee": self.committee,
            "date": long_date(self.starts_at),
        }

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    def quorum_required(self):
        """How many voting members must take part for a decision to be valid."""
        if self.quorum_kind == self.QuorumKind.FIXED:
            return self.quorum_number
        return self._quorum_of(self.committee.voting_members().count())

    def _quorum_of(self, total):
        """The quorum for this many active voting members (a fixed quorum does not depend on it)."""
        if self.quorum_kind == self.QuorumKind.FIXED:
            return self.quorum_number
        if self.quorum_kind == self.QuorumKind.THIRD:
            return max(1, math.ceil(total / 3))
        return total // 2 + 1

    def present_voters(self):
        return Membership.objects.filter(
            attendances__meeting=self,
            attendances__status=Attendance.Status.PRESENT,
            role__in=Membership.VOTING_ROLES,
            committee_id=self.committee_id,
        )

    def voters_for(self, item):
        """Present voting members who declared no conflict of interest on the item."""
        return self.present_voters().exclude(conflicts__item=item)

    def has_quorum(self, item):
        return self.voters_for(item).count() >= self.quorum_required()

    def quorum_for(self, item):
        """The item's Quorum in one query (a screen showing it needs no more): the voters as voters_for()
        counts them and the number quorum_required() asks for, both counted over the committee's members."""
        voting = Q(role__in=Membership.VOTING_ROLES)
        present = Attendance.objects.filter(meeting=self, membership=OuterRef("pk"), status=Attendance.Status.PRESENT)
        conflicted = ConflictOfInterest.objects.filter(item=item, membership=OuterRef("pk"))
        counts = Membership.objects.filter(committee_id=self.committee_id).aggregate(
            members=Count("pk", filter=voting & Q(is_active=True)),
            voters=Count("pk", filter=voting & Q(Exists(present)) & ~Q(Exists(conflicted))),
        )
        return Quorum(voters=counts["voters"], required=self._quorum_of(counts["members"]))


class Reschedule(models.Model):
    """A change of a planned meeting's date and time, kept with its reason (it shows in the minutes)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reschedules", verbose_name=_("meeting")
    )
    previous_starts_at = models.DateTimeField(_("previous date and time"))
    starts_at = models.DateTimeField(_("new date and time"))
    reason = models.CharField(_("reason"), max_length=250)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting rescheduling")
        verbose_name_plural = _("meeting reschedulings")
        ordering = ["meeting", "changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="committees_reschedule_has_reason",
                violation_error_message=_("Say why the meeting is moved."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.previous_starts_at:%Y-%m-%d %H:%M} → {self.starts_at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("member")
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices, default=Status.ABSENT)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "membership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="committees_attendance_unique",
                violation_error_message=_("This member's attendance is already recorded for this meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.membership}: {self.get_status_display()}"


class AgendaItem(models.Model):
    """A case brought to a meeting; decisions and conflicts of interest hang on it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=250)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="committees_item_subject_idx")]

    def __str__(self):
        return self.title


class ConflictOfInterest(models.Model):
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("agenda item")
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="conflicts", verbose_name=_("member")
    )
    reason = models.CharField(_("nature of the interest"), max_length=250)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["item", "membership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "membership"],
                name="committees_conflict_unique",
                violation_error_message=_("This member has already declared a conflict of interest on this case."),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="committees_conflict_has_reason",
                violation_error_message=_("Say what the interest is (family, neighbour, business partner...)."),
            ),
        ]

    def __str__(self):
        return f"{self.membership} — {self.item}"


class DecisionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)

    def for_subject(self, obj):
        return self.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Allocated / accepted")
        REJECTED = "rejected", _("Not allocated / not accepted")
        INADMISSIBLE = "inadmissible", _("Inadmissible")
        DEFERRED = "deferred", _("Deferred")

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("agenda item")
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    proposed_rank = models.PositiveSmallIntegerField(_("proposed rank"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    departs_from_proposal = models.BooleanField(_("departs from the proposed order"), default=False)
    justification = models.TextField(_("justification of the departure"), blank=True)
    participants = models.ManyToManyField(
        Membership, related_name="decisions", blank=True, verbose_name=_("members who took part")
    )
    voters_count = models.PositiveSmallIntegerField(_("members who took part (count)"), default=0)
    quorum_required = models.PositiveSmallIntegerField(_("quorum required"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["item", "rank", "proposed_rank", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="committees_dec_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="committees_decision_has_reason",
                violation_error_message=_("Write the reason for this decision: it is sent to the person."),
            ),
            models.CheckConstraint(
                condition=(models.Q(outcome="accepted") & models.Q(rank__isnull=False, rank__gte=1))
                | (~models.Q(outcome="accepted") & models.Q(rank__isnull=True)),
                name="committees_decision_rank_only_when_accepted",
                violation_error_message=_("Give a rank (1, 2, 3...) to every accepted case, and to no other."),
            ),
            models.CheckConstraint(
                condition=models.Q(departs_from_proposal=False) | ~models.Q(justification=""),
                name="committees_decision_departure_justified",
                violation_error_message=_(
                    "A decision that departs from the proposed order needs a written justification."
                ),
            ),
            models.UniqueConstraint(
                fields=["item", "subject_type", "subject_id"],
                condition=models.Q(superseded_at__isnull=True),
                name="committees_decision_one_current_per_subject",
                violation_error_message=_("This case already has a decision on this item."),
            ),
            models.UniqueConstraint(
                fields=["item", "rank"],
                condition=models.Q(superseded_at__isnull=True, rank__isnull=False),
                name="committees_decision_unique_rank",
                violation_error_message=_("Two cases cannot have the same rank on one item."),
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        # The record is the history: once the meeting is closed nothing changes.
        if self.item.meeting.is_closed:
            raise ValidationError(
                _("The meeting is closed: its decisions can no longer be changed."), code="meeting_closed"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Decisions are kept as a history and cannot be deleted."), code="immutable")
