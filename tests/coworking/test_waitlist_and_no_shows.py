import io

import pytest
from django.core.management import call_command

from coworking import services
from coworking.models import Booking
from tests.coworking.factories import MONDAY, TUESDAY, at, slot
from tests.factories import make_user
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry

pytestmark = pytest.mark.django_db


def test_a_no_show_is_released_after_the_delay_and_offered_to_the_waiting_list(
    frozen, zone, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    zone.capacity = 1
    zone.check_in_grace_minutes = 30
    zone.save()
    no_show = services.book(zone, *slot(MONDAY), member=alice)
    entry = waitlist.join(zone, user=bob, slot_start=no_show.start, slot_end=no_show.end)

    frozen.move_to(at(MONDAY, 8, 59))
    call_command("release_no_shows", stdout=io.StringIO())
    no_show.refresh_from_db()
    assert no_show.status == Booking.Status.CONFIRMED

    frozen.move_to(at(MONDAY, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_no_shows", stdout=io.StringIO())
    no_show.refresh_from_db()
    entry.refresh_from_db()
    assert no_show.status == Booking.Status.RELEASED and no_show.released_at
    assert entry.status == WaitingListEntry.Status.OFFERED
    assert [m.to for m in mailoutbox] == [[bob.email]]
    # The seat is held for Bob: nobody else gets it.
    carol = make_user()
    with pytest.raises(Exception):  # noqa: B017
        services.book(zone, *slot(MONDAY), member=carol)
    waitlist.accept_offer(entry)
    assert Booking.objects.get(member=bob).status == Booking.Status.CONFIRMED


def test_a_checked_in_booking_is_never_released(frozen, zone, alice):
    booking = services.book(zone, *slot(MONDAY), member=alice)
    frozen.move_to(at(MONDAY, 8, 40))
    space, checked = services.check_in_with_code(zone.checkin_token, alice)
    assert checked == booking
    frozen.move_to(at(MONDAY, 12))
    assert services.release_no_shows() == 0
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_training_reservations_are_never_released_as_no_shows(frozen, room, training_manager):
    from coworking.api import reserve_room

    reservation = reserve_room(room, *slot(MONDAY), purpose="Formation", booked_by=training_manager)
    frozen.move_to(at(MONDAY, 12))
    assert services.release_no_shows() == 0
    reservation.refresh_from_db()
    assert reservation.status == Booking.Status.CONFIRMED


def test_spaces_without_check_in_never_release(frozen, zone, alice):
    zone.check_in_required = False
    zone.save()
    services.book(zone, *slot(MONDAY), member=alice)
    frozen.move_to(at(MONDAY, 12))
    assert services.release_no_shows() == 0


def test_a_cancellation_offers_the_slot_to_the_first_waiting(frozen, zone, alice, bob):
    zone.capacity = 1
    zone.save()
    booking = services.book(zone, *slot(TUESDAY), member=alice)
    entry = waitlist.join(zone, user=bob, slot_start=booking.start, slot_end=booking.end)
    services.cancel(booking, by=alice)
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.OFFERED
