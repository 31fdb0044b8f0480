"""Builders for coworking tests: a Murat-like telecentre open Monday to Friday, 08:30–18:00."""

import datetime
import itertools
from decimal import Decimal

from coworking import calendar
from coworking.models import OpeningHours, Pass, Space, Tariff, TariffDecision

_sequence = itertools.count(1)

# Monday 2 March 2026, 07:00 in Murat: every test starts here unless it says otherwise.
NOW = calendar.local(datetime.date(2026, 3, 2), datetime.time(7, 0))
MONDAY = NOW.date()
TUESDAY = MONDAY + datetime.timedelta(days=1)


def make_space(kind=Space.Kind.OPEN_SPACE, capacity=None, hours=((8, 30), (18, 0)), weekdays=range(5), **fields):
    n = next(_sequence)
    if capacity is None:
        capacity = 4 if kind == Space.Kind.OPEN_SPACE else 8
    fields.setdefault("name", f"Espace {n}")
    fields.setdefault("slug", f"espace-{n}")
    fields.setdefault("hourly", kind in (Space.Kind.MEETING_ROOM, Space.Kind.VISIO_ROOM, Space.Kind.TRAINING_ROOM))
    space = Space.objects.create(kind=kind, capacity=capacity, **fields)
    opens, closes = datetime.time(*hours[0]), datetime.time(*hours[1])
    for weekday in weekdays:
        OpeningHours.objects.create(space=space, weekday=weekday, opens=opens, closes=closes)
    return space


def make_room(**fields):
    return make_space(Space.Kind.MEETING_ROOM, **fields)


def make_murat_tariff(valid_from=datetime.date(2025, 1, 1), reference="Délibération n° 2024-117"):
    decision = TariffDecision.objects.create(
        reference=reference, decided_on=valid_from - datetime.timedelta(days=30), valid_from=valid_from
    )
    for unit, price in [
        (Tariff.Unit.HOUR, "5"),
        (Tariff.Unit.HALF_DAY, "10"),
        (Tariff.Unit.DAY, "20"),
        (Tariff.Unit.WEEK, "80"),
        (Tariff.Unit.MONTH, "100"),
    ]:
        Tariff.objects.create(
            decision=decision, unit=unit, newcomer_price=Decimal(price), public_price=Decimal(price) * Decimal("1.5")
        )
    return decision


def make_pass(holder, allowance="4", valid_from=MONDAY, days=30, kind=Pass.Kind.MEMBERSHIP, **fields):
    return Pass.objects.create(
        holder=holder,
        kind=kind,
        label=fields.pop("label", "Adhésion mensuelle"),
        valid_from=valid_from,
        valid_until=valid_from + datetime.timedelta(days=days - 1),
        allowance=Decimal(allowance),
        **fields,
    )


def slot(day, period="morning"):
    return calendar.half_day_bounds(day, period)


def at(day, hour, minute=0):
    return calendar.local(day, datetime.time(hour, minute))


def make_newcomer(user, stage="preparation"):
    """user follows the welcome programme (an installation project past the enquiry): the newcomer price."""
    from tests.factories import make_project

    make_project(user, stage=stage)
    return user
