"""Staff views of the bookings: occupancy grid, monthly statistics and the lines to invoice.

Each function reads with a fixed number of queries whatever the number of bookings.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from coworking import calendar
from coworking.models import Booking, Closure, Pass, Space


def week_of(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=n) for n in range(7)]


@dataclass(slots=True)
class GridBooking:
    """What the grid shows of a booking, read as plain values (a page holds hundreds of them)."""

    pk: int
    who: str
    start: datetime.datetime
    end: datetime.datetime
    period: str
    seats: int
    status: str
    billing: str
    price: object

    @property
    def is_active(self):
        return self.status in Booking.ACTIVE_STATUSES


def _who(first_name, last_name, email, guest_name, purpose):
    """Booking.who from plain values: the member's full name (else email), or the visitor's name."""
    if email is not None:
        return f"{first_name} {last_name}".strip() or email
    return guest_name or purpose or "—"


@dataclass
class Cell:
    day: datetime.date
    period: str
    start: datetime.datetime
    end: datetime.datetime
    open: bool = True
    bookings: list = field(default_factory=list)

    @property
    def seats(self):
        return sum(b.seats for b in self.bookings if b.is_active)


def occupancy_grid(days, spaces=None):
    """Rows of (space, cells): one cell per half-day of each day, with the bookings (GridBooking) overlapping it."""
    spaces = list(spaces if spaces is not None else Space.objects.active().prefetch_related("opening_hours"))
    first, last = days[0], days[-1]
    closures = list(Closure.objects.overlapping(first, last))
    bookings = (
        Booking.objects.filter(space__in=spaces)
        .exclude(status=Booking.Status.CANCELLED)
        .overlapping(calendar.local(first, datetime.time.min), calendar.local(last, datetime.time.max))
        .order_by("start")
        .values_list(
            "pk", "space_id", "start", "end", "period", "seats", "status", "billing", "price",
            "member__first_name", "member__last_name", "member__email", "guest_name", "purpose",
        )
    )  # fmt: skip
    by_space = defaultdict(list)
    for pk, space_id, start, end, period, seats, status, billing, price, *names in bookings:
        by_space[space_id].append(GridBooking(pk, _who(*names), start, end, period, seats, status, billing, price))
    half_days = {
        day: [(period, *calendar.half_day_bounds(day, period)) for period in ("morning", "afternoon")] for day in days
    }
    rows = []
    for space in spaces:
        cells = []
        opening_hours = list(space.opening_hours.all())
        mine = by_space[space.pk]
        for day in days:
            closed = space.hours_on(day, opening_hours) is None or any(
                c.start_date <= day <= c.end_date and c.space_id in (None, space.pk) for c in closures
            )
            for period, start, end in half_days[day]:
                cell = Cell(day, period, start, end, open=not closed)
                cell.bookings = [b for b in mine if b.start < end and b.end > start]
                cells.append(cell)
        rows.append((space, cells))
    return rows


def open_hours(space, day, closures):
    hours = space.hours_on(day, list(space.opening_hours.all()))
    if hours is None or any(c.start_date <= day <= c.end_date and c.space_id in (None, space.pk) for c in closures):
        return 0
    opens, closes = hours
    return (calendar.local(day, closes) - calendar.local(day, opens)).total_seconds() / 3600


def monthly_statistics(year):
    """Per space and month: open hours, hours booked (seat-hours for zones), occupancy rate, no-shows."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    spaces = list(Space.objects.prefetch_related("opening_hours"))
    closures = list(Closure.objects.overlapping(first, last))
    capacity = defaultdict(float)
    for space in spaces:
        for day in calendar.days_between(first, last):
            capacity[(space.pk, day.month)] += open_hours(space, day, closures) * (
                space.capacity if space.is_zone else 1
            )
    booked = defaultdict(float)
    bookings_count = defaultdict(int)
    no_shows = defaultdict(int)
    rows = (
        Booking.objects.filter(start__gte=calendar.local(first, datetime.time.min))
        .filter(start__lte=calendar.local(last, datetime.time.max))
        .exclude(status=Booking.Status.CANCELLED)
        .values_list("space_id", "start", "end", "seats", "status")
    )
    for space_id, start, end, seats, status in rows:
        month = timezone.localtime(start).month
        if status == Booking.Status.RELEASED:
            no_shows[(space_id, month)] += 1
            continue
        bookings_count[(space_id, month)] += 1
        booked[(space_id, month)] += (end - start).total_seconds() / 3600 * seats
    table = []
    for space in spaces:
        months = []
        for month in range(1, 13):
            key = (space.pk, month)
            rate = booked[key] / capacity[key] * 100 if capacity[key] else None
            months.append(
                {
                    "month": month,
                    "rate": None if rate is None else round(rate, 1),
                    "bookings": bookings_count[key],
                    "no_shows": no_shows[key],
                }
            )
        table.append((space, months))
    return table


@dataclass
class InvoiceLine:
    member: object
    name: str
    email: str
    date: datetime.date
    label: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    decision: str


def invoice_lines(year, month):
    """What the régie has to invoice for a month: bookings at the tariff and passes sold, per person."""
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    bookings = (
        Booking.objects.filter(billing=Booking.Billing.TARIFF, status__in=Booking.ACTIVE_STATUSES, price__gt=0)
        .filter(start__gte=calendar.local(first, datetime.time.min), start__lte=calendar.local(last, datetime.time.max))
        .select_related("member", "space", "tariff__decision")
        .order_by("member__last_name", "guest_name", "start")
    )
    lines = []
    for booking in bookings:
        quantity = booking.hours() if booking.period == Booking.Period.HOURS else Decimal(booking.seats)
        lines.append(
            InvoiceLine(
                member=booking.member,
                name=booking.member.get_full_name() if booking.member else booking.guest_name,
                email=booking.member.email if booking.member else "",
                date=booking.local_date,
                label=f"{booking.space} — {booking.get_period_display()}",
                quantity=quantity,
                unit_price=(booking.price / quantity).quantize(Decimal("0.01")) if quantity else booking.price,
                amount=booking.price,
                decision=booking.tariff.decision.reference if booking.tariff else "",
            )
        )
    passes = (
        Pass.objects.filter(price__gt=0, valid_from__gte=first, valid_from__lte=last)
        .select_related("holder", "tariff__decision")
        .order_by("holder__last_name", "valid_from")
    )
    for sold in passes:
        lines.append(
            InvoiceLine(
                member=sold.holder,
                name=sold.holder.get_full_name(),
                email=sold.holder.email,
                date=sold.valid_from,
                label=_("%(label)s (%(kind)s)") % {"label": sold.label, "kind": sold.get_kind_display()},
                quantity=Decimal(1),
                unit_price=sold.price,
                amount=sold.price,
                decision=sold.tariff.decision.reference if sold.tariff else "",
            )
        )
    lines.sort(key=lambda line: (line.name.lower(), line.date))
    return lines
