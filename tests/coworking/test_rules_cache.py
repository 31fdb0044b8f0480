"""The rules a booking reads besides other bookings (the space, opening hours, closures, tariffs) are read from
the database on each booking, with or without a shared cache: a change made by the staff, through any worker
and any kind of write, applies to the very next booking."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coworking import services
from coworking.models import Booking, Closure, OpeningHours, Space, Tariff
from tests.coworking.factories import MONDAY, make_murat_tariff

pytestmark = pytest.mark.django_db

WEDNESDAY = MONDAY + datetime.timedelta(days=2)
THURSDAY = MONDAY + datetime.timedelta(days=3)
RULE_TABLES = ("coworking_closure", "coworking_openinghours", "coworking_tariff", "coworking_space")


def post_booking(client, space, day, period="morning"):
    data = {"space": space.pk, "date": day.isoformat(), "period": period, "idempotency_key": uuid.uuid4().hex}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("coworking:book"), data)
    return response, [query["sql"] for query in queries.captured_queries]


def reads_rules(statements):
    """The statements that read the rules (the lock reads the space too, FOR UPDATE on PostgreSQL)."""
    return [sql for sql in statements if sql.lstrip().startswith("SELECT") and any(t in sql for t in RULE_TABLES)]


def test_a_closure_and_new_opening_hours_apply_to_the_next_booking(client, frozen, zone, alice):
    make_murat_tariff()
    client.force_login(alice)
    response, _statements = post_booking(client, zone, MONDAY)
    assert response.status_code == 302

    # Staff close the space on Wednesday: the next booking for that day is refused.
    Closure.objects.create(space=zone, start_date=WEDNESDAY, end_date=WEDNESDAY, reason="Inventaire")
    response, _statements = post_booking(client, zone, WEDNESDAY)
    assert response.status_code == 200
    assert "Inventaire" in response.text
    # Thursday's hours now start at 14:00: a morning is outside them.
    OpeningHours.objects.filter(space=zone, weekday=THURSDAY.weekday()).get().delete()
    OpeningHours.objects.create(
        space=zone, weekday=THURSDAY.weekday(), opens=datetime.time(14), closes=datetime.time(18)
    )
    response, _statements = post_booking(client, zone, THURSDAY)
    assert response.status_code == 200
    assert Booking.objects.filter(member=alice).count() == 1


def test_a_new_tariff_prices_the_next_booking(frozen, zone, alice):
    decision = make_murat_tariff()
    first = services.book(services.space_rules(zone.pk).space, *services_slot(MONDAY), member=alice)
    assert first.price == Decimal("15.00")
    tariff = Tariff.objects.get(decision=decision, unit=Tariff.Unit.HALF_DAY)
    tariff.newcomer_price = tariff.public_price = Decimal("12")
    tariff.save()
    second = services.book(services.space_rules(zone.pk).space, *services_slot(MONDAY, "afternoon"), member=alice)
    assert second.price == Decimal("12.00")


def test_a_space_for_staff_only_is_refused_at_once(client, frozen, zone, alice):
    client.force_login(alice)
    assert post_booking(client, zone, MONDAY)[0].status_code == 302
    zone.audience = Space.Audience.STAFF
    zone.save()
    response, _statements = post_booking(client, zone, MONDAY, "afternoon")
    assert response.status_code == 200
    assert response.context["form"].has_error("space", "invalid_choice")


def test_a_change_sent_without_signal_is_seen_at_once(client, frozen, zone, alice):
    client.force_login(alice)
    assert post_booking(client, zone, MONDAY)[0].status_code == 302
    # bulk_create sends no signal: only a read from the database sees it.
    Closure.objects.bulk_create([Closure(space=None, start_date=WEDNESDAY, end_date=WEDNESDAY, reason="Grève")])
    response, statements = post_booking(client, zone, WEDNESDAY)
    assert response.status_code == 200
    assert "Grève" in response.text
    assert reads_rules(statements)


def test_a_space_deleted_meanwhile_is_refused_under_the_lock(frozen, zone, alice):
    rules = services.space_rules(zone.pk)
    rules.opening_hours, rules.closures, rules.tariffs  # noqa: B018 - read before the deletion, as a booking does
    Space.objects.filter(pk=zone.pk).delete()
    with pytest.raises(services.ValidationError) as caught:
        services.book(rules.space, *services_slot(MONDAY), member=alice)
    assert [error.code for error in caught.value.error_dict["space"]] == ["inactive"]


def services_slot(day, period="morning"):
    from coworking import calendar

    return calendar.half_day_bounds(day, period)
