"""What this app adds to the newcomer portal and to the staff home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

# The apps this module's portal card reads: it is cached until one of them changes (telecentre/freshness.py).
PORTAL_SCOPES = ("housing", "committees", "accounts")


def portal(request):
    """The newcomer's housing card: their latest application, its points, position and decision."""
    from housing.models import Application

    application = (
        Application.objects.filter(applicant=request.user)
        .select_related("project")
        .with_outcome()
        .order_by("-submitted_at")
        .first()
    )
    context = {"application": application}
    if application is not None:
        context["score"] = application.scores_newest_first[0] if application.scores_newest_first else None
        context["outcome"] = application.outcome()
    return "housing/includes/_portal.html", context


def staff_links(user):
    """Staff screens of this app that the user's permissions open: [(label, url)]."""
    links = []
    if user.has_perm("housing.run_committee"):
        links.append((_("Housing: ranking and committees"), reverse("housing:staff-board")))
    if user.has_perm("housing.view_occupancyagreement"):
        links.append((_("Housing: occupancy timeline"), reverse("housing:timeline")))
    if user.has_perm("housing.export_statistics"):
        links.append((_("Housing: yearly statistics for the bias review"), reverse("housing:statistics")))
    return links


def staff_tasks(user, today):
    """What needs doing today in this app, for the staff home: [(label, count, url)]."""
    import datetime

    from django.utils import timezone

    from committees.models import Meeting
    from housing.forms import HOUSING_COMMITTEES
    from housing.models import Application

    if not user.has_perm("housing.run_committee"):
        return []
    now = timezone.now()
    coming = Meeting.objects.of_kind(*HOUSING_COMMITTEES).filter(
        status=Meeting.Status.PLANNED, starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=14)
    )
    waiting = Application.objects.filter(status=Application.Status.SUBMITTED)
    board = reverse("housing:staff-board")
    return [
        (_("Housing applications waiting for a committee"), waiting.count(), board),
        (_("Housing committee meetings in the next 14 days"), coming.count(), board + "#meetings-title"),
    ]


def staff_person(request, person):
    """The housing part of a person's record: their applications with the outcome decided, their agreements."""
    from housing.models import Application, OccupancyAgreement

    if not request.user.has_perm("housing.view_application"):
        return None
    applications = list(Application.objects.filter(applicant=person).with_outcome().order_by("-submitted_at"))
    agreements = list(OccupancyAgreement.objects.filter(occupant=person).select_related("unit").order_by("-start_date"))
    if not applications and not agreements:
        return None
    return "housing/includes/_person_card.html", {
        "applications": applications,
        "agreements": agreements,
        "can_open": request.user.has_perm("housing.change_application"),
    }
