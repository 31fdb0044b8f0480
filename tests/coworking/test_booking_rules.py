"""The booking path itself: every rule refuses with a message on the right field and writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coworking import services
from coworking.models import Booking, Closure, Space, Tariff
from tests.coworking.factories import MONDAY, TUESDAY, at, make_murat_tariff, make_newcomer, make_pass, make_space, slot
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    """Book and return {field: [codes]} of the refusal."""
    space = kwargs.pop("space")
    start, end = kwargs.pop("when")
    keep = kwargs.pop("keep", False)
    before = Booking.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.book(space, start, end, **kwargs)
    assert Booking.objects.count() == before
    assert keep or before == 0
    return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}


def test_a_half_day_in_the_zone_is_booked_and_priced_at_the_newcomer_tariff(frozen, zone, alice):
    make_murat_tariff()
    make_newcomer(alice)
    booking = services.book(zone, *slot(TUESDAY, "morning"), member=alice, booked_by=alice)
    assert booking.period == "morning" and booking.status == Booking.Status.CONFIRMED
    assert booking.billing == Booking.Billing.TARIFF and booking.price == Decimal("10.00")
    assert booking.tariff.decision.reference == "Délibération n° 2024-117"
    day = services.book(zone, *slot(MONDAY, "day"), member=alice, booked_by=alice)
    assert day.price == Decimal("20.00")
    assert day.tariff_category == Tariff.Category.NEWCOMER


def test_an_account_without_pass_nor_programme_pays_the_public_price(frozen, zone, alice, bob):
    make_murat_tariff()
    make_newcomer(bob, stage="enquiry")  # only declared: not in the programme
    assert services.book(zone, *slot(MONDAY), member=alice).price == Decimal("15.00")
    booking = services.book(zone, *slot(MONDAY), member=bob)
    assert (booking.price, booking.tariff_category) == (Decimal("15.00"), Tariff.Category.PUBLIC)


def test_a_pass_holder_booking_at_the_tariff_pays_the_newcomer_price(frozen, zone, alice):
    make_murat_tariff()
    make_pass(alice)
    assert services.book(zone, *slot(MONDAY), member=alice).price == Decimal("10.00")


def test_the_price_comes_from_the_decision_in_force_on_the_booking_day(frozen, zone, alice):
    old = make_murat_tariff(valid_from=datetime.date(2025, 1, 1), reference="Délib. 2024-117")
    old.valid_until = datetime.date(2026, 3, 2)
    old.save()
    new = make_murat_tariff(valid_from=datetime.date(2026, 3, 3), reference="Délib. 2026-012")
    new.tariffs.filter(unit="half_day").update(newcomer_price=Decimal("12"))
    make_newcomer(alice)
    today = services.book(zone, *slot(MONDAY), member=alice)
    tomorrow = services.book(zone, *slot(TUESDAY), member=alice)
    assert (today.price, today.tariff.decision) == (Decimal("10.00"), old)
    assert (tomorrow.price, tomorrow.tariff.decision) == (Decimal("12.00"), new)


def test_a_visitor_without_account_pays_the_public_price(frozen, zone, coworking_manager):
    make_murat_tariff()
    booking = services.book(zone, *slot(MONDAY), guest_name="Visiteur", booked_by=coworking_manager, staff=True)
    assert booking.price == Decimal("15.00")


def test_past_and_reversed_times_are_refused(frozen, room, alice):
    assert refused(space=room, when=(at(MONDAY, 6), at(MONDAY, 7)), member=alice) == {"start_time": ["past"]}
    assert refused(space=room, when=(at(MONDAY, 11), at(MONDAY, 10)), member=alice) == {"end_time": ["reversed"]}
    frozen.move_to(at(MONDAY, 13))
    assert refused(space=room, when=slot(MONDAY, "morning"), member=alice) == {"date": ["past"]}


def test_a_half_day_still_running_can_be_booked(frozen, zone, alice):
    frozen.move_to(at(MONDAY, 10))
    assert services.book(zone, *slot(MONDAY, "morning"), member=alice).period == "morning"


def test_outside_opening_hours_is_refused(frozen, alice):
    early = make_space(Space.Kind.MEETING_ROOM, hours=((9, 0), (12, 0)))
    assert refused(space=early, when=(at(MONDAY, 8), at(MONDAY, 9)), member=alice) == {"start_time": ["outside_hours"]}
    assert refused(space=early, when=slot(MONDAY, "afternoon"), member=alice) == {"period": ["outside_hours"]}


def test_weekends_public_holidays_and_closures_are_refused(frozen, zone, alice):
    saturday = MONDAY + datetime.timedelta(days=5)
    easter_monday = datetime.date(2026, 4, 6)
    Closure.objects.create(start_date=TUESDAY, end_date=TUESDAY, reason="Inventaire")
    assert refused(space=zone, when=slot(saturday), member=alice) == {"date": ["closed"]}
    assert refused(space=zone, when=slot(easter_monday), member=alice) == {"date": ["holiday"]}
    assert refused(space=zone, when=slot(TUESDAY), member=alice) == {"date": ["closed"]}


def test_booking_window_notice_length_and_grid_are_enforced_for_members(frozen, room, alice):
    room.max_days_ahead = 10
    room.min_notice_minutes = 120
    room.min_minutes, room.max_minutes, room.slot_minutes = 60, 180, 30
    room.save()
    far = MONDAY + datetime.timedelta(days=15)
    assert refused(space=room, when=(at(far, 9), at(far, 10)), member=alice) == {"date": ["too_far"]}
    frozen.move_to(at(MONDAY, 8))
    assert refused(space=room, when=(at(MONDAY, 9), at(MONDAY, 10)), member=alice) == {"start_time": ["notice"]}
    assert refused(space=room, when=(at(TUESDAY, 9), at(TUESDAY, 9, 30)), member=alice) == {"end_time": ["too_short"]}
    assert refused(space=room, when=(at(TUESDAY, 9), at(TUESDAY, 13)), member=alice) == {"end_time": ["too_long"]}
    assert refused(space=room, when=(at(TUESDAY, 9, 10), at(TUESDAY, 10, 10)), member=alice) == {
        "start_time": ["grid"],
        "end_time": ["grid"],
    }


def test_staff_are_not_held_by_window_and_notice(frozen, room, alice, coworking_manager):
    room.max_days_ahead = 10
    room.save()
    far = MONDAY + datetime.timedelta(days=15)
    booking = services.book(room, at(far, 9), at(far, 10), member=alice, booked_by=coworking_manager, staff=True)
    assert booking.booked_by == coworking_manager


def test_a_zone_refuses_over_capacity_and_a_member_cannot_take_two_seats(frozen, zone, alice, bob):
    services.book(zone, *slot(MONDAY, "day"), member=alice)
    assert refused(space=zone, when=slot(MONDAY), member=alice, keep=True) == {"date": ["duplicate"]}
    services.book(zone, *slot(MONDAY, "morning"), member=bob)
    carol = make_user()
    assert refused(space=zone, when=slot(MONDAY, "morning"), member=carol, keep=True) == {"period": ["full"]}
    # The afternoon still has Bob's seat free.
    assert services.book(zone, *slot(MONDAY, "afternoon"), member=carol).seats == 1


def test_a_room_is_booked_whole_with_its_buffer(frozen, room, alice, bob):
    room.buffer_minutes = 15
    room.save()
    services.book(room, at(MONDAY, 9), at(MONDAY, 10), member=alice)
    assert refused(space=room, when=(at(MONDAY, 9, 30), at(MONDAY, 11)), member=bob, keep=True) == {
        "start_time": ["full"]
    }
    assert refused(space=room, when=(at(MONDAY, 10), at(MONDAY, 11)), member=bob, keep=True) == {"start_time": ["full"]}
    assert services.book(room, at(MONDAY, 10, 30), at(MONDAY, 11, 30), member=bob)


def test_per_person_limit_of_upcoming_bookings(frozen, zone, alice):
    zone.max_upcoming_per_person = 1
    zone.save()
    services.book(zone, *slot(MONDAY), member=alice)
    assert refused(space=zone, when=slot(TUESDAY), member=alice, keep=True) == {"space": ["limit"]}


def test_members_only_and_staff_only_spaces(frozen, alice, coworking_manager):
    members = make_space(audience=Space.Audience.PASS_HOLDERS)
    staff_only = make_space(Space.Kind.TRAINING_ROOM, audience=Space.Audience.STAFF)
    assert refused(space=members, when=slot(MONDAY), member=alice) == {"space": ["members_only"]}
    assert refused(space=staff_only, when=slot(MONDAY), member=alice) == {"space": ["staff_only"]}
    make_pass(alice)
    assert services.book(members, *slot(MONDAY), member=alice)
    assert services.book(staff_only, *slot(MONDAY), member=alice, booked_by=coworking_manager, staff=True)


def test_a_pass_is_consumed_and_cannot_go_below_zero(frozen, zone, alice):
    membership = make_pass(alice, allowance="1")
    services.book(zone, *slot(MONDAY, "morning"), member=alice, pass_used=membership)
    booking = services.book(zone, *slot(MONDAY, "afternoon"), member=alice, pass_used=membership)
    assert booking.billing == Booking.Billing.PASS and booking.price == 0 and booking.pass_units == Decimal("0.5")
    assert membership.remaining() == 0
    assert refused(space=zone, when=slot(TUESDAY), member=alice, pass_used=membership, keep=True) == {
        "pass_used": ["used_up"]
    }


def test_a_booking_beyond_the_membership_validity_is_refused(frozen, zone, alice):
    membership = make_pass(alice, days=1)
    assert refused(space=zone, when=slot(TUESDAY), member=alice, pass_used=membership) == {
        "pass_used": ["beyond_validity"]
    }


def test_someone_else_s_pass_cannot_be_used(frozen, zone, alice, bob):
    assert refused(space=zone, when=slot(MONDAY), member=alice, pass_used=make_pass(bob)) == {
        "pass_used": ["not_yours"]
    }


def test_an_exemption_makes_it_free(frozen, zone, alice):
    from coworking.api import grant_training_exemption

    make_murat_tariff()
    grant_training_exemption(alice, reason="Formation au télétravail")
    booking = services.book(zone, *slot(MONDAY), member=alice)
    assert booking.billing == Booking.Billing.EXEMPT and booking.price == 0


def test_an_exemption_counts_on_its_own_days_only(frozen, zone, alice, bob):
    from coworking.models import Exemption

    make_murat_tariff()
    Exemption.objects.create(member=alice, reason="Essai", starts_on=TUESDAY, ends_on=TUESDAY)
    Exemption.objects.create(member=bob, reason="Essai", starts_on=MONDAY, ends_on=MONDAY)
    monday, tuesday = (
        services.book(zone, *slot(MONDAY), member=alice),
        services.book(zone, *slot(TUESDAY), member=alice),
    )
    assert (monday.billing, tuesday.billing) == (Booking.Billing.TARIFF, Booking.Billing.EXEMPT)
    assert monday.price > 0 and tuesday.price == 0
    assert services.book(zone, *slot(MONDAY), member=bob).billing == Booking.Billing.EXEMPT


def test_a_replayed_idempotency_key_returns_the_first_booking(frozen, zone, alice):
    first = services.book(zone, *slot(MONDAY), member=alice, idempotency_key="k-1")
    again = services.book(zone, *slot(TUESDAY), member=alice, idempotency_key="k-1")
    assert again.pk == first.pk and again.replayed and not first.replayed
    assert Booking.objects.count() == 1


def test_the_database_refuses_a_second_active_booking_of_one_member_at_one_start(frozen, zone, alice):
    start, end = slot(MONDAY)
    Booking.objects.create(space=zone, member=alice, start=start, end=end, period="morning")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(space=zone, member=alice, start=start, end=end, period="morning")


def test_cancelling_respects_the_deadline_for_members_not_for_staff(frozen, zone, alice, coworking_manager):
    zone.cancellation_notice_hours = 2
    zone.save()
    booking = services.book(zone, *slot(MONDAY), member=alice)
    frozen.move_to(at(MONDAY, 7, 1))
    with pytest.raises(ValidationError) as caught:
        services.cancel(booking, by=alice)
    assert caught.value.code == "too_late"
    services.cancel(booking, by=coworking_manager, staff=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancelled_by == coworking_manager


def test_changing_a_booking_moves_it_or_changes_nothing(frozen, zone, alice, bob):
    wednesday = TUESDAY + datetime.timedelta(days=1)
    booking = services.book(zone, *slot(TUESDAY), member=alice)
    moved = services.change(booking, *slot(wednesday), by=alice)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and moved.local_date == wednesday
    zone.capacity = 1
    zone.save()
    services.book(zone, *slot(TUESDAY), member=bob)
    with pytest.raises(ValidationError):
        services.change(moved, *slot(TUESDAY), by=alice)
    moved.refresh_from_db()
    assert moved.status == Booking.Status.CONFIRMED  # still there


def test_a_weekly_series_skips_closed_days_and_books_the_rest(frozen, zone, alice):
    # Mondays and Wednesdays for four weeks; Easter Monday 6 April is outside, a closure on 11 March is inside.
    Closure.objects.create(start_date=datetime.date(2026, 3, 11), end_date=datetime.date(2026, 3, 11), reason="AG")
    series, bookings, skipped = services.book_series(
        zone, alice, "morning", [0, 2], MONDAY, MONDAY + datetime.timedelta(days=27)
    )
    assert len(bookings) == 7 and skipped == [datetime.date(2026, 3, 11)]
    assert series.occurrences.count() == 7
    cancelled = services.cancel_range(series, datetime.date(2026, 3, 16), datetime.date(2026, 3, 22), by=alice)
    assert cancelled == 2
    assert series.occurrences.active().count() == 5


def test_a_series_with_one_full_day_books_nothing(frozen, zone, alice, bob):
    zone.capacity = 1
    zone.save()
    services.book(zone, *slot(MONDAY + datetime.timedelta(days=7)), member=bob)
    with pytest.raises(ValidationError) as caught:
        services.book_series(zone, alice, "morning", [0], MONDAY, MONDAY + datetime.timedelta(days=20))
    assert "9 mars 2026" in " ".join(caught.value.messages)
    assert not Booking.objects.filter(member=alice).exists()
    assert not alice.coworking_series.exists()


def test_overlap_and_upcoming_still_find_a_booking_that_started_earlier_the_same_day(room, alice, frozen):
    from coworking.models import LONGEST_BOOKING

    long_meeting = services.book(room, at(TUESDAY, 8, 30), at(TUESDAY, 17, 30), member=alice)
    bookings = Booking.objects.filter(space=room)
    assert list(bookings.overlapping(at(TUESDAY, 17), at(TUESDAY, 17, 30))) == [long_meeting]
    assert list(bookings.on_day(TUESDAY)) == [long_meeting]
    assert list(bookings.upcoming(at(TUESDAY, 17))) == [long_meeting]
    assert not bookings.upcoming(at(TUESDAY, 17, 30)).exists()
    assert datetime.timedelta(hours=25) <= LONGEST_BOOKING


def test_a_day_fits_beside_a_morning_and_an_afternoon_taken_by_two_people(frozen, zone, alice, bob):
    """The seats of all the overlapping bookings exceed the capacity, their peak does not."""
    carol, dave = make_user(), make_user()
    services.book(zone, *slot(MONDAY, "morning"), member=bob)
    services.book(zone, *slot(MONDAY, "afternoon"), member=carol)
    assert services.book(zone, *slot(MONDAY, "day"), member=alice).period == "day"
    assert refused(space=zone, when=slot(MONDAY, "day"), member=dave, keep=True) == {"period": ["full"]}


def test_an_exempted_member_paying_with_a_pass_keeps_the_pass_untouched(frozen, zone, alice):
    from coworking.api import grant_training_exemption

    membership = make_pass(alice, allowance="1")
    grant_training_exemption(alice, reason="Formation au télétravail")
    booking = services.book(zone, *slot(MONDAY), member=alice, pass_used=membership)
    assert booking.billing == Booking.Billing.EXEMPT and booking.pass_used is None
    assert membership.remaining() == 1


def test_a_form_sent_again_once_its_slot_is_over_still_finds_its_booking(frozen, zone, alice):
    first = services.book(zone, *slot(MONDAY), member=alice, idempotency_key="k-2")
    frozen.move_to(at(MONDAY, 13))
    again = services.book(zone, *slot(MONDAY), member=alice, idempotency_key="k-2")
    assert again.pk == first.pk and again.replayed
    with pytest.raises(ValidationError):
        services.book(zone, *slot(MONDAY), member=alice, idempotency_key="k-3")


def test_a_space_closed_meanwhile_is_refused_under_the_lock(frozen, zone, alice):
    stale = Space.objects.get(pk=zone.pk)
    Space.objects.filter(pk=zone.pk).update(is_active=False)
    assert refused(space=stale, when=slot(MONDAY), member=alice) == {"space": ["inactive"]}


def test_a_staff_only_space_and_a_full_slot_are_both_reported(frozen, alice, bob):
    staff_only = make_space(Space.Kind.TRAINING_ROOM, audience=Space.Audience.STAFF)
    services.book(staff_only, *slot(MONDAY), member=bob, staff=True)
    assert refused(space=staff_only, when=slot(MONDAY), member=alice, keep=True) == {
        "space": ["staff_only"],
        "period": ["full"],
    }


def test_a_booking_post_makes_a_fixed_small_number_of_queries(
    client, alice, frozen, zone, django_assert_max_num_queries
):
    """Session, user, whether the person has an authenticator app (accounts/two_factor.py), the space; closures,
    opening hours, tariff; then under the lock (a savepoint here): the space, the person's own overlapping
    bookings, the bookings around and the waiting-list offers (seats_free, the rule the pages show), the person's
    upcoming ones (a limit is set), the person's exemption, their tariff category, the insert, the renewal of the
    space's version (the staff grid, core/versions.py); and the raise of the data version."""
    import uuid

    from django.urls import reverse

    make_murat_tariff()
    client.force_login(alice)
    for day in (MONDAY, TUESDAY):  # the first one also fills the per-process caches (content types)
        data = {"space": zone.pk, "date": day.isoformat(), "period": "afternoon", "idempotency_key": uuid.uuid4().hex}
        with django_assert_max_num_queries(19 if day == TUESDAY else 20):
            assert client.post(reverse("coworking:book"), data).status_code == 302
    assert Booking.objects.filter(member=alice).count() == 2


def test_the_space_is_locked_for_sql_statements_only(frozen, zone, alice):
    """Bookings of a space queue on its row: no cache round trip while it is locked (the fragments showing
    bookings are renewed just before), so the next booking waits for a few statements only."""
    from unittest import mock

    from django.db import connection

    from telecentre import freshness

    events = []

    def record(execute, sql, params, many, context):
        events.append(("sql", sql))
        return execute(sql, params, many, context)

    real_cache = freshness.cache

    class RecordingCache:
        def __getattr__(self, name):
            events.append(("cache", name))
            return getattr(real_cache, name)

    make_murat_tariff()
    with mock.patch.object(freshness, "cache", RecordingCache()), connection.execute_wrapper(record):
        booking = services.book(zone, *slot(MONDAY), member=alice)
    assert booking.pk and Booking.objects.get(pk=booking.pk).member == alice
    locked = next(
        n
        for n, (kind, sql) in enumerate(events)
        if kind == "sql" and sql.startswith('SELECT "coworking_space"."is_active"')
    )
    assert ("cache", "set_many") in events[:locked], "the fragments are renewed before the lock"
    assert [event for event in events[locked:] if event[0] == "cache"] == []
    assert any(kind == "sql" and "INSERT" in sql for kind, sql in events[locked:])


def test_a_zone_offers_and_books_a_seat_free_at_every_moment_alike(frozen, zone, alice, bob):
    """A morning and an afternoon booked in a zone of two seats take one seat at any moment of the day (their
    sum is two, their peak one): the count the pages and the waiting list read offers a day seat, the booking
    takes it; then the day is full for both."""
    day = slot(TUESDAY, "day")
    services.book(zone, *slot(TUESDAY, "morning"), member=alice)
    services.book(zone, *slot(TUESDAY, "afternoon"), member=bob)

    assert services.seats_free(zone, *day) == 1
    carol = make_user(email="carol@example.org")
    booked = services.book(zone, *day, member=carol)
    assert Booking.objects.get(pk=booked.pk).member == carol

    assert services.seats_free(zone, *day) == 0
    dave = make_user(email="dave@example.org")
    assert refused(space=zone, when=day, member=dave, keep=True) == {"period": ["full"]}
