"""What this app adds to the newcomer portal and to the staff home page."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

# The apps this module's portal card reads: it is cached until one of them changes (telecentre/freshness.py).
PORTAL_SCOPES = ("coworking", "waitlist")


def portal(request):
    """The portal section for request.user: (template, context) or None."""
    from coworking.models import Booking, Pass

    user = request.user
    upcoming = Booking.objects.for_member(user).active().upcoming().select_related("space").order_by("start")[:3]
    passes = Pass.objects.filter(holder=user, valid_until__gte=timezone.localdate()).with_used()
    return "coworking/includes/_portal_card.html", {"upcoming": upcoming, "passes": passes}


def staff_links(user):
    """Staff screens of this app that the user's permissions open: [(label, url)]."""
    links = []
    if user.has_perm("coworking.view_booking"):
        links.append((_("Coworking: who is where (occupancy grid)"), reverse("coworking:grid")))
    if user.has_perm("coworking.manage_bookings"):
        links.append((_("Coworking: book for someone or a walk-in"), reverse("coworking:staff-book")))
        links.append((_("Coworking: check-in QR codes"), reverse("coworking:qr-codes")))
    if user.has_perm("coworking.view_statistics"):
        links.append((_("Coworking: usage statistics"), reverse("coworking:statistics")))
        links.append((_("Coworking: to invoice (CSV for the régie)"), reverse("coworking:invoicing")))
    return links


def staff_tasks(user, today):
    """What needs doing today in this app, for the staff home: [(label, count, url)]."""
    from coworking.models import Booking

    if not user.has_perm("coworking.view_booking"):
        return []
    count = Booking.objects.active().on_day(today).count()
    return [(_("Coworking bookings today"), count, reverse("coworking:grid"))]


def staff_person(request, person):
    """The coworking part of a person's record: their bookings to come and the last ones, their passes."""
    from coworking.models import Booking, Pass

    if not request.user.has_perm("coworking.view_booking"):
        return None
    bookings = list(Booking.objects.for_member(person).select_related("space").order_by("-start")[:15])
    passes = list(Pass.objects.filter(holder=person).with_used().order_by("-valid_until")[:5])
    if not bookings and not passes:
        return None
    return "coworking/includes/_person_card.html", {"bookings": bookings, "passes": passes}
