"""Figures read from the other apps' records: forum, coworking, housing, training.

Read-only queries on their models, one or two per figure whatever the volume.
Each function returns None when the app holds nothing to count for the period
(shown as "not available"), otherwise {"value": number for the exports,
"display": text, "detail": text, "link": url of the records behind it}.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.dates import format_date

ONE_DECIMAL = Decimal("0.1")


def _percent(part, whole):
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL)


def _days(period):
    day = period.start
    while day <= period.end:
        yield day
        day += datetime.timedelta(days=1)


def _bounds(period):
    """The period as aware datetimes: its first day at midnight, local time, and the midnight ending its last day.

    Filtering a datetime on these (rather than on its date) lets an index on it serve the query.
    """
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return first, after


def forum_visitors(period):
    """People who came to a forum edition held in the period (checked in, or registered when nobody was checked in)."""
    from forum.models import Attendee, Registration

    attendees = Attendee.objects.filter(
        registration__edition__start_date__range=period.range, registration__status=Registration.Status.CONFIRMED
    )
    counts = attendees.aggregate(registered=_count(), came=_count(checked_in_at__isnull=False))
    return counts["came"] or counts["registered"]


def _count(**filters):
    from django.db.models import Count, Q

    return Count("pk", filter=Q(**filters)) if filters else Count("pk")


def _records(figure, period):
    """The impact records page listing exactly what a figure counts for its period."""
    query = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    return reverse("impact:records", args=[figure]) + "?" + query


def coworking_bookings(period):
    """The bookings the occupancy counts: confirmed or checked in, starting in the period, in an active space."""
    from coworking.models import Booking

    first, after = _bounds(period)
    return Booking.objects.filter(
        status__in=Booking.ACTIVE_STATUSES, start__gte=first, start__lt=after, space__is_active=True
    )


def housing_agreements(period):
    """The occupancy agreements (not cancelled) of active units that overlap the period."""
    from housing.models import OccupancyAgreement

    return OccupancyAgreement.objects.exclude(status=OccupancyAgreement.Status.CANCELLED).filter(
        start_date__lt=period.end + datetime.timedelta(days=1), end_date__gt=period.start, unit__is_active=True
    )


def training_attendances(period):
    """Half-days attended (present on the signed sheet) in the period, cancelled sessions left out."""
    from telecentre.training.models import Attendance, Session

    return Attendance.objects.filter(status=Attendance.Status.PRESENT, slot__date__range=period.range).exclude(
        slot__session__status=Session.Status.CANCELLED
    )


def coworking_occupancy(period):
    """Seat-hours booked (confirmed or checked in) over seat-hours open, for the active spaces.

    The open hours count from the first day the period holds a booking: over a period that starts years before
    the space took its first booking, the rate would say 0 % of a space that did not exist yet.
    """
    from django.db.models import Min

    from coworking.models import OpeningHours

    hours_by_weekday = defaultdict(Decimal)
    for weekday, opens, closes, capacity in OpeningHours.objects.filter(space__is_active=True).values_list(
        "weekday", "opens", "closes", "space__capacity"
    ):
        length = datetime.datetime.combine(period.start, closes) - datetime.datetime.combine(period.start, opens)
        hours_by_weekday[weekday] += Decimal(length.total_seconds()) / 3600 * capacity
    bookings = coworking_bookings(period)
    first_booked = bookings.aggregate(first=Min("start"))["first"]
    if first_booked is None:
        return None
    counted = type(period)(max(period.start, timezone.localdate(first_booked)), period.end)
    # OpeningHours.weekday counts from 0 on Monday, like date.weekday().
    open_hours = sum((hours_by_weekday[day.weekday()] for day in _days(counted)), Decimal(0))
    if not open_hours:
        return None
    # Summed in SQL per number of seats (a handful of rows), on bounds an index on the start can serve.
    rows = bookings.values("seats").annotate(length=Sum(F("end") - F("start"))).order_by()
    booked = sum((Decimal(row["length"].total_seconds()) / 3600 * row["seats"] for row in rows), Decimal(0))
    rate = _percent(booked, open_hours)
    return {
        "value": rate,
        "display": f"{formats.number_format(rate, 1)} %",
        "detail": _("%(booked)s seat-hours booked of %(open)s open since %(first)s")
        % {
            "booked": formats.number_format(booked.quantize(Decimal(1)), 0, force_grouping=True),
            "open": formats.number_format(open_hours.quantize(Decimal(1)), 0, force_grouping=True),
            "first": format_date(counted.start),
        },
        "link": _records("coworking", period),
    }


def housing_occupancy(period):
    """Nights occupied over nights available in the active housing units."""
    from housing.models import Unit

    first, after = period.start, period.end + datetime.timedelta(days=1)
    available = Unit.objects.filter(is_active=True).count() * (after - first).days
    if not available:
        return None
    occupied = 0
    for start, end in housing_agreements(period).values_list("start_date", "end_date"):
        occupied += (min(end, after) - max(start, first)).days
    rate = _percent(occupied, available)
    return {
        "value": rate,
        "display": f"{formats.number_format(rate, 1)} %",
        "detail": _("%(occupied)s nights occupied of %(available)s") % {"occupied": occupied, "available": available},
        "link": _records("housing", period),
    }


def training_hours(period):
    """Trainee-hours attended (present on the signed sheet), cancelled sessions left out."""
    present = training_attendances(period)
    # Counted in SQL per slot length (a few rows); each attendance's hours are rounded to 0.1 as on the sheets.
    hours = sum(
        (
            (Decimal(row["length"].total_seconds()) / 3600).quantize(ONE_DECIMAL) * row["n"]
            for row in present.annotate(length=F("slot__end") - F("slot__start"))
            .values("length")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        Decimal(0),
    )
    trainees = present.aggregate(n=Count("enrolment__trainee", distinct=True))["n"]
    if not trainees:
        return None
    return {
        "value": hours,
        "display": formats.number_format(hours, 1, force_grouping=True),
        "detail": _("%(count)s trainees") % {"count": trainees},
        "link": _records("training", period),
    }
