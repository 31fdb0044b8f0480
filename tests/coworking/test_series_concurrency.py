"""A long weekly series never holds the space locked: other people book while it is being written (PostgreSQL).

Thread A books a series over the whole booking window (five mornings a week for a year); thread B books
afternoons of the same space one after another, and stops a few bookings after the series' first
occurrence is visible to it. B's bookings interleave with the series' (ids between the series' first and
last): no booking of B waited for the whole series. The control writes the same series in one transaction,
as before: every booking of B then comes before the series' first occurrence or after its last one, each
having waited for the whole series.
"""

import datetime

import pytest
from django.db import transaction

from coworking import calendar, services
from coworking.models import Booking
from tests.concurrency import requires_postgres, run_in_parallel
from tests.coworking.factories import MONDAY, make_space
from tests.factories import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MORE_AFTER_SEEN = 3


def setup_space():
    space = make_space(capacity=4, max_days_ahead=366, max_upcoming_per_person=0)
    return space, make_user(), make_user()


def other_bookings(space, person):
    """B's bookings: the afternoons of the window, until a few after the series shows its first occurrence."""
    made, seen_after = [], 0
    for day in calendar.days_between(MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=360)):
        if day.weekday() >= 5 or calendar.public_holiday(day):
            continue
        made.append(services.book(space, *calendar.half_day_bounds(day, "afternoon"), member=person).pk)
        if Booking.objects.filter(space=space, series__isnull=False).exists():
            seen_after += 1
            if seen_after > MORE_AFTER_SEEN:
                break
    return made


def race(space, member, other, write_series):
    def work(role):
        if role == "series":
            return write_series()
        return other_bookings(space, other)

    series_result, made = run_in_parallel(work, ["series", "other"])
    assert not isinstance(series_result, Exception), series_result
    assert not isinstance(made, Exception), made
    occurrences = list(Booking.objects.filter(member=member).values_list("pk", flat=True))
    assert len(occurrences) > 200
    first, last = min(occurrences), max(occurrences)
    return [pk for pk in made if first < pk < last], made


def test_other_bookings_go_through_while_a_long_series_is_written(frozen):
    requires_postgres()
    space, member, other = setup_space()
    last_day = services.series_last_day(space, MONDAY)

    def write_series():
        return services.book_series(space, member, "morning", [0, 1, 2, 3, 4], MONDAY, last_day)

    interleaved, made = race(space, member, other, write_series)

    assert interleaved, f"every one of {len(made)} bookings waited for the whole series"


def test_control_a_series_in_one_transaction_makes_every_other_booking_wait_for_all_of_it(frozen):
    requires_postgres()
    space, member, other = setup_space()
    last_day = services.series_last_day(space, MONDAY)

    def write_series_in_one_transaction():
        with transaction.atomic():
            return services.book_series(space, member, "morning", [0, 1, 2, 3, 4], MONDAY, last_day)

    interleaved, made = race(space, member, other, write_series_in_one_transaction)

    assert made and not interleaved
