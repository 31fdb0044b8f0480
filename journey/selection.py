"""The selection jury, held with the shared committees mechanism.

A project goes on the agenda of a meeting of a SELECTION committee; the jury's
decision (with its reasons, quorum and conflicts of interest handled by
`committees`) is read back here. Only a decision of a closed meeting counts:
until then it may still be superseded.
"""

from committees.models import AgendaItem, Committee, Decision, Meeting


def decisions(project):
    """Current selection decisions on the project, newest first."""
    return (
        Decision.objects.current()
        .for_subject(project)
        .filter(item__meeting__committee__kind=Committee.Kind.SELECTION)
        .select_related("item__meeting__committee")
        .order_by("-recorded_at", "-pk")
    )


def accepted_decision(project):
    return (
        decisions(project)
        .filter(outcome=Decision.Outcome.ACCEPTED, item__meeting__status=Meeting.Status.CLOSED)
        .first()
    )


def upcoming_meetings():
    return Meeting.objects.upcoming().of_kind(Committee.Kind.SELECTION).select_related("committee")


def put_on_agenda(project, meeting):
    """Add the project to the meeting's agenda (once); return the agenda item."""
    existing = AgendaItem.objects.filter(meeting=meeting).filter(
        subject_id=project.pk, subject_type__app_label="accounts", subject_type__model="installationproject"
    )
    if item := existing.first():
        return item
    position = meeting.items.count() + 1
    return AgendaItem.objects.create(meeting=meeting, position=position, title=str(project), subject=project)


def agenda_items(project):
    return (
        AgendaItem.objects.filter(
            subject_id=project.pk, subject_type__app_label="accounts", subject_type__model="installationproject"
        )
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at")
    )
