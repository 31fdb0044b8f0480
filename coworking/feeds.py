"""iCal feeds: a member's bookings (secret address) and a space's occupancy (no names)."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from coworking.models import Booking, CalendarFeed, Space

HISTORY = datetime.timedelta(days=31)


def _calendar(name):
    cal = Calendar()
    cal.add("prodid", "-//Télécentre//Coworking//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def booking_event(booking, summary):
    event = Event()
    event.add("uid", f"coworking-booking-{booking.pk}@{settings.SITE_URL.split('://')[-1]}")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", summary)
    event.add("location", str(booking.space))
    return event


def booking_ics(booking):
    """One booking as an .ics text (for the reminder email)."""
    cal = _calendar(str(booking.space))
    cal.add_component(booking_event(booking, _("Coworking: %(space)s") % {"space": booking.space}))
    return cal.to_ical().decode()


def _response(cal, filename):
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def member_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("member"), token=token)
    bookings = (
        Booking.objects.for_member(feed.member)
        .active()
        .filter(end__gte=timezone.now() - HISTORY)
        .select_related("space")
    )
    cal = _calendar(_("My coworking bookings"))
    for booking in bookings:
        cal.add_component(booking_event(booking, _("Coworking: %(space)s") % {"space": booking.space}))
    return _response(cal, "coworking.ics")


def space_feed(request, slug):
    space = get_object_or_404(Space.objects.active(), slug=slug)
    bookings = Booking.objects.filter(space=space).active().filter(end__gte=timezone.now() - HISTORY)
    cal = _calendar(str(space))
    for booking in bookings.select_related("space"):
        summary = booking.purpose if booking.billing == Booking.Billing.INTERNAL and booking.purpose else _("Booked")
        if space.is_zone:
            summary = _("%(count)s seat(s) booked") % {"count": booking.seats}
        cal.add_component(booking_event(booking, summary))
    return _response(cal, f"{space.slug}.ics")
