"""Volume data for coworking: spaces with opening hours, a tariff, passes and years of bookings.

Bookings go back from the coming weeks into the past, half-day by half-day, so today is always busy.
Rooms never hold two bookings at once (the PostgreSQL exclusion constraint stands) and a zone never
holds more people than its seats.
"""

import datetime
from decimal import Decimal

from coworking import calendar
from coworking.models import Booking, OpeningHours, Pass, Space, Tariff, TariffDecision

# kind, share of the spaces, capacity range
KINDS = [
    (Space.Kind.OPEN_SPACE, 25, (8, 20)),
    (Space.Kind.FIXED_DESK, 25, (1, 1)),
    (Space.Kind.PRIVATE_OFFICE, 25, (1, 4)),
    (Space.Kind.MEETING_ROOM, 15, (6, 12)),
    (Space.Kind.VISIO_ROOM, 5, (2, 4)),
    (Space.Kind.TRAINING_ROOM, 5, (10, 16)),
]
DAYS_AHEAD = 30
PERIODS = ["morning", "afternoon"]
PRICES = {"half_day": Decimal("10"), "day": Decimal("20"), "week": Decimal("80"), "month": Decimal("100")}


def seed(scale):
    spaces = seed_spaces(scale)
    tariff = seed_tariff(scale)
    newcomers = scale.newcomer_ids()
    passes = scale.insert(
        Pass,
        (
            Pass(
                holder_id=scale.pick(newcomers),
                kind=Pass.Kind.CARNET,
                label="Carnet 10 journées",
                valid_from=scale.day(-30 * n),
                valid_until=scale.day(-30 * n + 365),
                allowance=Decimal("10"),
                price=Decimal("180"),
            )
            for n in range(scale.count(2_000))
        ),
    )
    bookings = scale.insert_values(
        Booking, bookings_for(scale, spaces, newcomers), tariff_id=tariff.pk, price=tariff.newcomer_price
    )
    return f"{len(spaces)} spaces, {passes} passes, {bookings} bookings"


def seed_spaces(scale):
    count = scale.count(200)
    shares = [(kind, capacity) for kind, weight, capacity in KINDS for _ in range(weight)]
    rows = []
    for n in range(count):
        kind, (low, high) = shares[n * len(shares) // count] if count > 1 else (KINDS[0][0], KINDS[0][2])
        rows.append(
            Space(
                name=f"{Space.Kind(kind).label} {n + 1}",
                slug=f"scale-{n + 1}",
                kind=kind,
                capacity=scale.random.randint(low, high),
                equipment="Écran 27 pouces\nWi-Fi fibre",
                hourly=kind in {Space.Kind.MEETING_ROOM, Space.Kind.VISIO_ROOM},
                position=n,
            )
        )
    scale.insert(Space, rows)
    spaces = list(Space.objects.filter(slug__startswith="scale-").order_by("position"))
    scale.insert(
        OpeningHours,
        (
            OpeningHours(space=space, weekday=weekday, opens=datetime.time(8), closes=datetime.time(19))
            for space in spaces
            for weekday in range(5)
        ),
    )
    return spaces


def seed_tariff(scale):
    decision, _created = TariffDecision.objects.get_or_create(
        reference="DCC-SCALE-01", defaults={"decided_on": scale.day(-2000), "valid_from": scale.day(-2000)}
    )
    for unit, price in PRICES.items():
        Tariff.objects.get_or_create(
            decision=decision, unit=unit, defaults={"newcomer_price": price, "public_price": price}
        )
    return decision.tariffs.get(unit="half_day")


def working_days(scale):
    """Working days from DAYS_AHEAD days ahead back into the past, without end."""
    day = scale.day(DAYS_AHEAD)
    while True:
        if day.weekday() < 5 and not calendar.public_holiday(day):
            yield day
        day -= datetime.timedelta(days=1)


def bookings_for(scale, spaces, newcomers):
    target = scale.count(500_000)
    made = 0
    heavy = newcomers[0]  # comes to the first space every other half-day: a long history in the portal
    for day in working_days(scale):
        past = day < scale.today
        for period in PERIODS:
            start, end = calendar.half_day_bounds(day, period)
            for space in spaces:
                taken = scale.random.randint(0, space.capacity // 2) if space.is_zone else scale.random.random() < 0.8
                members = {scale.pick(newcomers) for _ in range(int(taken))}
                if space is spaces[0] and len(members) < space.capacity and scale.random.random() < 0.5:
                    members.add(heavy)
                for member in members:
                    status = Booking.Status.CONFIRMED
                    if past:
                        roll = scale.random.random()
                        status = (
                            Booking.Status.CANCELLED
                            if roll < 0.08
                            else Booking.Status.RELEASED
                            if roll < 0.12
                            else Booking.Status.CHECKED_IN
                        )
                    yield {
                        "space_id": space.pk,
                        "member_id": member,
                        "booked_by_id": member,
                        "start": start,
                        "end": end,
                        "period": period,
                        "whole_room": not space.is_zone,
                        "status": status,
                        "created_at": start - datetime.timedelta(days=3),
                        "checked_in_at": start if status == Booking.Status.CHECKED_IN else None,
                    }
                    made += 1
                    if made >= target:
                        return
