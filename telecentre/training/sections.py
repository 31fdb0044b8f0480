"""What this app adds to the newcomer portal and to the staff home page."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

# The apps this module's portal card reads: it is cached until one of them changes (telecentre/freshness.py).
PORTAL_SCOPES = ("training", "waitlist", "coworking")


def portal(request):
    """The portal section for request.user: (template, context) or None."""
    from telecentre.training.models import Enrolment, Slot

    user = request.user
    enrolments = list(
        Enrolment.objects.for_trainee(user)
        .exclude(status=Enrolment.Status.CANCELLED)
        .select_related("session__programme_version")
        .order_by("-created_at")[:4]
    )
    to_sign = (
        Slot.objects.filter(
            session__enrolments__trainee=user,
            session__enrolments__status=Enrolment.Status.ENROLLED,
            session__status="scheduled",
            date=timezone.localdate(),
            start__lte=timezone.now(),
            trainer_signed_at__isnull=True,
        )
        .exclude(attendances__enrolment__trainee=user)
        .count()
    )
    return "training/portal_card.html", {"enrolments": enrolments, "to_sign": to_sign}


def staff_links(user):
    """Staff screens of this app that the user's permissions open: [(label, url)]."""
    links = []
    if user.has_perm("training.view_session"):
        links.append(
            (_("Trainings: calendar, sessions, enrolments and attendance"), reverse("training:staff-calendar"))
        )
    if user.has_perm("training.view_enrolment"):
        links.append((_("Trainings: exports for the yearly report (BPF)"), reverse("training:exports")))
    if user.has_perm("training.view_complaint"):
        links.append((_("Trainings: complaints register"), reverse("training:staff-complaints")))
    return links


def staff_tasks(user, today):
    """What needs doing today in this app, for the staff home: [(label, count, url)]."""
    from telecentre.training.models import Complaint

    if not user.has_perm("training.view_complaint"):
        return []
    count = Complaint.objects.exclude(status=Complaint.Status.CLOSED).count()
    return [(_("Training complaints not closed"), count, reverse("training:staff-complaints") + "?open=1")]


def staff_person(request, person):
    """The training part of a person's record: their enrolments, with their status."""
    from telecentre.training.models import Enrolment

    if not request.user.has_perm("training.view_enrolment"):
        return None
    enrolments = list(
        Enrolment.objects.for_trainee(person).select_related("session__programme_version").order_by("-created_at")[:15]
    )
    if not enrolments:
        return None
    return "training/includes/_person_card.html", {
        "enrolments": enrolments,
        "can_open_session": request.user.has_perm("training.view_session"),
    }
