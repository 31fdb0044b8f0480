"""A weekly series is bounded by the space's booking window (a year at most) and refused beyond it."""

import datetime

import pytest
from django.urls import reverse

from coworking import services
from coworking.models import Booking, RecurringBooking
from tests.coworking.factories import MONDAY, TUESDAY

pytestmark = pytest.mark.django_db


def series_form(space, ends_on, starts_on=TUESDAY):
    return {
        "space": space.pk,
        "period": "morning",
        "weekdays": ["0", "1", "2", "3", "4", "5"],
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on,
        "pass_used": "",
    }


def test_a_series_to_2200_is_refused_at_once_with_the_limit_in_the_message(alice_client, frozen, zone):
    response = alice_client.post(reverse("coworking:book-recurring"), series_form(zone, "2200-12-31"))

    assert response.status_code == 200
    errors = response.context["form"].errors["ends_on"]
    # 2 March 2026 + the space's 90 days.
    assert errors == [
        "Open space peut être réservé au plus 90 jours à l’avance : choisissez un dernier jour jusqu’au "
        "31 mai 2026 au plus tard."
    ]
    assert not RecurringBooking.objects.exists() and not Booking.objects.exists()


def test_a_series_up_to_the_last_day_of_the_window_is_booked(alice_client, alice, frozen, zone):
    zone.max_upcoming_per_person = 0
    zone.save()
    last_day = MONDAY + datetime.timedelta(days=zone.max_days_ahead)
    response = alice_client.post(reverse("coworking:book-recurring"), series_form(zone, last_day.isoformat()))

    assert response.status_code == 302
    series = alice.coworking_series.get()
    assert series.ends_on == last_day
    assert series.occurrences.order_by("start").last().local_date <= last_day
    assert series.occurrences.count() > 50


def test_a_wide_booking_window_still_bounds_a_series_to_a_year(frozen, zone, alice):
    zone.max_days_ahead = 30000
    zone.save()
    with pytest.raises(services.ValidationError) as caught:
        services.book_series(zone, alice, "morning", [0], MONDAY, datetime.date(2200, 12, 31))
    assert caught.value.message_dict["ends_on"] == [
        "Une série dure un an au plus : choisissez un dernier jour jusqu’au 3 mars 2027 au plus tard."
    ]


def test_staff_are_not_held_to_the_window_but_to_a_year(frozen, zone, alice):
    ends_on = MONDAY + datetime.timedelta(days=200)
    series, bookings, _skipped = services.book_series(zone, alice, "morning", [0], MONDAY, ends_on, staff=True)
    assert series.ends_on == ends_on and len(bookings) > 25
    with pytest.raises(services.ValidationError) as caught:
        services.book_series(zone, alice, "afternoon", [0], MONDAY, MONDAY + datetime.timedelta(days=400), staff=True)
    assert "un an au plus" in caught.value.message_dict["ends_on"][0]


def test_a_series_refused_on_one_day_leaves_no_occurrence_behind(frozen, zone, alice, bob):
    zone.capacity = 1
    zone.save()
    last_week = MONDAY + datetime.timedelta(days=28)
    services.book(zone, *services.calendar.half_day_bounds(last_week, "morning"), member=bob)
    with pytest.raises(services.ValidationError):
        services.book_series(zone, alice, "morning", [0], MONDAY, last_week)
    assert not Booking.objects.filter(member=alice).exists()
    assert not RecurringBooking.objects.exists()
    assert Booking.objects.filter(member=bob).active().count() == 1
