"""The figures read from the other apps, checked against hand counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from coworking.models import Booking
from impact import crossapp
from impact.figures import Period
from telecentre.training.models import Attendance
from tests.coworking.factories import make_space
from tests.factories import make_user
from tests.forum.factories import make_edition, make_registration
from tests.housing.factories import make_caps, make_occupancy, make_unit
from tests.training.factories import make_enrolment, make_session

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_coworking_occupancy_is_seat_hours_booked_over_seat_hours_open():
    space = make_space(capacity=2, hours=((9, 0), (17, 0)), weekdays=range(5))
    monday, tuesday = D(2025, 3, 3), D(2025, 3, 4)
    for start, end, seats, status in [
        (at(monday, 9), at(monday, 13), 1, Booking.Status.CHECKED_IN),
        (at(tuesday, 9), at(tuesday, 17), 2, Booking.Status.CONFIRMED),
        (at(monday, 14), at(monday, 17), 1, Booking.Status.CANCELLED),
    ]:
        Booking.objects.create(
            space=space, guest_name="Visiteur", start=start, end=end, period="hours", seats=seats, status=status
        )

    figure = crossapp.coworking_occupancy(Period(monday, D(2025, 3, 9)))

    # 5 open days x 8 h x 2 seats = 80 seat-hours; booked 4 x 1 + 8 x 2 = 20.
    assert figure["value"] == Decimal("25.0")
    assert figure["link"] == reverse("impact:records", args=["coworking"]) + "?start=2025-03-03&end=2025-03-09"

    # Over years before the space's first booking, the open hours count from that booking's day.
    years = crossapp.coworking_occupancy(Period(D(2021, 1, 1), D(2025, 3, 9)))
    assert years["value"] == Decimal("25.0")
    assert "3 mars 2025" in years["detail"]


def test_each_figure_s_records_are_exactly_what_it_counts(client, director):
    space = make_space(capacity=2, hours=((9, 0), (17, 0)), weekdays=range(5))
    monday = D(2025, 3, 3)
    for hour, status in [(9, Booking.Status.CHECKED_IN), (13, Booking.Status.CANCELLED)]:
        Booking.objects.create(
            space=space,
            guest_name=f"Visiteur {hour}",
            start=at(monday, hour),
            end=at(monday, hour + 2),
            period="hours",
            seats=1,
            status=status,
        )
    Booking.objects.create(
        space=space,
        guest_name="Hors période",
        start=at(D(2025, 4, 1), 9),
        end=at(D(2025, 4, 1), 11),
        period="hours",
        seats=1,
        status=Booking.Status.CONFIRMED,
    )
    make_caps()
    make_occupancy(make_unit("Passerelle du Bourg"), make_user(first_name="Nina"), D(2025, 2, 20), D(2025, 3, 5))
    period = Period(D(2025, 3, 1), D(2025, 3, 31))
    client.force_login(director)

    page = client.get(crossapp.coworking_occupancy(period)["link"]).content.decode()
    assert "Visiteur 9" in page and "Visiteur 13" not in page and "Hors période" not in page
    assert "1 enregistrement" in page
    page = client.get(crossapp.housing_occupancy(period)["link"]).content.decode()
    assert "Passerelle du Bourg" in page and "Nina" in page


def test_housing_occupancy_is_nights_occupied_over_nights_available():
    make_caps()
    first, second = make_unit("Passerelle du Bourg"), make_unit("Résidence de la Gare")
    make_occupancy(first, make_user(), D(2025, 2, 20), D(2025, 3, 5))
    make_occupancy(second, make_user(), D(2025, 3, 8), D(2025, 4, 1))

    figure = crossapp.housing_occupancy(Period(D(2025, 3, 1), D(2025, 3, 10)))

    # 2 units x 10 nights = 20; occupied 4 (1-4 March) + 3 (8-10 March) = 7.
    assert figure["value"] == Decimal("35.0")


def test_training_hours_count_the_half_days_attended(training_manager):
    session = make_session(days=(D(2025, 3, 3),))
    slots = list(session.slots.order_by("start"))
    present, absent = make_enrolment(session, make_user()), make_enrolment(session, make_user())
    for slot in slots:
        Attendance.objects.create(
            slot=slot,
            enrolment=present,
            status=Attendance.Status.PRESENT,
            signature=ContentFile(b"\x89PNG", name="signature.png"),
            recorded_by=training_manager,
        )
        Attendance.objects.create(
            slot=slot,
            enrolment=absent,
            status=Attendance.Status.ABSENT,
            absence_reason="illness",
            recorded_by=training_manager,
        )

    figure = crossapp.training_hours(Period(D(2025, 3, 1), D(2025, 3, 31)))

    assert figure["value"] == sum(slot.hours for slot in slots)
    assert figure["detail"].startswith("1 ")


def test_forum_visitors_are_the_people_registered_for_an_edition_of_the_period():
    edition = make_edition(days_ahead=10)
    make_registration(edition, people=3)
    make_registration(edition, people=1)
    today = timezone.localdate()

    assert crossapp.forum_visitors(Period(today, today + datetime.timedelta(days=30))) == 4
    assert crossapp.forum_visitors(Period(today - datetime.timedelta(days=30), today)) == 0


def test_without_records_the_figures_are_not_available():
    period = Period(D(2025, 1, 1), D(2025, 12, 31))
    assert crossapp.coworking_occupancy(period) is None
    assert crossapp.housing_occupancy(period) is None
    assert crossapp.training_hours(period) is None
