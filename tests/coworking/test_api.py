"""The functions other apps call: training reserves its room and grants the free period."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from coworking import api
from coworking.models import Booking, Exemption, Space
from tests.coworking.factories import MONDAY, TUESDAY, at, make_murat_tariff, make_space, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_room(db):
    return make_space(Space.Kind.TRAINING_ROOM, name="Salle de formation", audience=Space.Audience.STAFF)


def test_reserve_room_books_the_whole_room_not_invoiced(frozen, training_room, training_manager):
    make_murat_tariff()
    booking = api.reserve_room(
        training_room, *slot(TUESDAY, "morning"), purpose="Formation télétravail", booked_by=training_manager
    )
    assert booking.whole_room and booking.billing == Booking.Billing.INTERNAL and booking.price == 0
    assert booking.purpose == "Formation télétravail" and booking.member is None


def test_reserve_room_refuses_a_conflict_a_closure_and_outside_hours_in_french(frozen, training_room, training_manager):
    api.reserve_room(training_room, *slot(TUESDAY), purpose="Session 1", booked_by=training_manager)
    with pytest.raises(ValidationError) as conflict:
        api.reserve_room(training_room, at(TUESDAY, 10), at(TUESDAY, 11), purpose="Session 2", booked_by=None)
    assert "déjà réservée" in " ".join(conflict.value.messages)
    with pytest.raises(ValidationError) as holiday:
        api.reserve_room(training_room, *slot(datetime.date(2026, 5, 1)), purpose="S", booked_by=None)
    assert "jour férié" in " ".join(holiday.value.messages)
    with pytest.raises(ValidationError) as late:
        api.reserve_room(training_room, at(TUESDAY, 18), at(TUESDAY, 20), purpose="S", booked_by=None)
    assert "horaires d’ouverture" in " ".join(late.value.messages)
    assert Booking.objects.count() == 1


def test_cancel_reservation_frees_the_room(frozen, training_room, training_manager):
    booking = api.reserve_room(training_room, *slot(MONDAY), purpose="S", booked_by=training_manager)
    api.cancel_reservation(booking, by=training_manager)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert api.reserve_room(training_room, *slot(MONDAY), purpose="S bis", booked_by=training_manager)
    api.cancel_reservation(booking, by=training_manager)  # a second cancel is harmless


def test_the_training_exemption_lasts_two_years_and_is_granted_once(alice):
    first = api.grant_training_exemption(alice, reason="Formation télétravail", start=datetime.date(2026, 3, 2))
    again = api.grant_training_exemption(alice, reason="Formation télétravail", start=datetime.date(2026, 9, 1))
    assert first.pk == again.pk and Exemption.objects.count() == 1
    assert (first.starts_on, first.ends_on) == (datetime.date(2026, 3, 2), datetime.date(2028, 3, 1))
    leap = api.grant_training_exemption(alice, reason="Autre", start=datetime.date(2028, 2, 29))
    assert leap.ends_on == datetime.date(2030, 2, 27)


def test_spaces_bookable_for_training_are_the_active_rooms(db, training_room):
    make_space(Space.Kind.OPEN_SPACE)
    meeting = make_space(Space.Kind.MEETING_ROOM)
    make_space(Space.Kind.TRAINING_ROOM, is_active=False)
    assert set(api.spaces_bookable_for_training()) == {training_room, meeting}
