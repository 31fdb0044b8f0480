"""What this app adds to the newcomer portal and to the staff home page."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from forum.models import Registration

# The apps this module's portal card reads: it is cached until one of them changes (telecentre/freshness.py).
PORTAL_SCOPES = ("forum", "waitlist")


def portal(request):
    """The newcomer's forum registrations, matched by account or by email address."""
    if not request.user.is_authenticated:
        return None
    registrations = list(
        Registration.objects.for_person(request.user)
        .select_related("edition")
        .annotate(people=Count("attendees"))
        .order_by("-edition__start_date", "-created_at")[:5]
    )
    return "forum/portal_section.html", {"registrations": registrations}


def staff_links(user):
    """Staff screens of this app that the user's permissions open: [(label, url)]."""
    links = []
    if user.has_perm("forum.check_in"):
        links.append((_("Forum: check-in on the day"), reverse("forum:checkin")))
        links.append((_("Forum: register a walk-in"), reverse("forum:walk-in")))
    if user.has_perm("forum.view_statistics"):
        links.append((_("Forum: statistics and leads"), reverse("forum:statistics")))
    if user.has_perm("forum.send_mailing"):
        links.append((_("Forum: email the attendees"), reverse("forum:mailing")))
    if user.has_perm("forum.lift_limits"):
        links.append((_("Forum: abuse alerts and blocks"), reverse("forum:limits")))
    if user.has_perm("forum.change_edition"):
        links.append((_("Forum: editions, programme and exhibitors"), reverse("admin:forum_edition_changelist")))
    return links


def staff_person(request, person):
    """The forum part of a person's record: their registrations, by the address they registered with."""
    if not request.user.has_perm("forum.view_registration"):
        return None
    registrations = list(
        Registration.objects.filter(email__iexact=person.email).select_related("edition").order_by("-created_at")[:10]
    )
    if not registrations:
        return None
    return "forum/includes/_person_card.html", {"registrations": registrations}
