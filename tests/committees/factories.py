"""Builders for committee tests (also used by the housing tests)."""

import datetime

from django.utils import timezone

from committees import services
from committees.models import AgendaItem, Attendance, Committee, Meeting, Membership


def make_committee(voting=3, advisory=0, name="Commission logement", kind=Committee.Kind.HOUSING):
    committee = Committee.objects.create(name=name, kind=kind)
    for n in range(voting):
        role = Membership.Role.CHAIR if n == 0 else Membership.Role.MEMBER
        committee.memberships.create(name=f"Élu {n + 1}", organisation="Commune", role=role)
    for n in range(advisory):
        committee.memberships.create(name=f"Conseiller {n + 1}", role=Membership.Role.ADVISORY)
    return committee


def make_meeting(committee, present=None, status=Meeting.Status.OPEN, **fields):
    """A meeting where the first `present` members (all by default) attend."""
    # Scheduled an hour ago by default: it can be opened and closed now.
    fields.setdefault("starts_at", timezone.now() - datetime.timedelta(hours=1))
    fields.setdefault("place", "Maison des services, Murat")
    meeting = Meeting.objects.create(committee=committee, status=status, **fields)
    members = list(committee.memberships.order_by("pk"))
    count = len(members) if present is None else present
    for index, membership in enumerate(members):
        status_ = Attendance.Status.PRESENT if index < count else Attendance.Status.EXCUSED
        Attendance.objects.create(meeting=meeting, membership=membership, status=status_)
    return meeting


def make_item(meeting, title="Logement passerelle, Murat", subject=None, position=1):
    return AgendaItem.objects.create(meeting=meeting, title=title, subject=subject, position=position)


def accept(subject, rank, proposed_rank=None, reason="Projet solide", justification=""):
    return services.Draft(
        subject=subject,
        outcome="accepted",
        reason=reason,
        rank=rank,
        proposed_rank=proposed_rank,
        justification=justification,
    )


def reject(subject, proposed_rank=None, outcome="rejected", reason="Autre candidat mieux placé", justification=""):
    return services.Draft(
        subject=subject, outcome=outcome, reason=reason, proposed_rank=proposed_rank, justification=justification
    )
