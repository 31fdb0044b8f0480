import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from coworking import api as coworking
from coworking.models import Booking
from telecentre.training.models import Enrolment, Session, Slot
from tests.coworking.factories import make_room
from tests.training.conftest import at
from tests.training.factories import MONDAY, NEXT_MONDAY, make_enrolment, make_programme, make_session
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(db):
    return make_room(name="Salle de formation", slug="salle-formation", capacity=15)


def add_slots(client, session, **data):
    data = {
        "first_day": "2026-03-09",
        "last_day": "2026-03-10",
        "periods": ["morning", "afternoon"],
        "weekdays_only": "on",
        "module": "Module 1",
        **data,
    }
    return client.post(reverse("training:add-slots", args=[session.pk]), data, follow=True)


def test_each_half_day_reserves_the_room_in_the_coworking_bookings(client, training_manager, room, frozen):
    session = make_session(days=(), room=room)
    client.force_login(training_manager)

    response = add_slots(client, session)

    assert "4 demi-journées ajoutées" in response.content.decode()
    slots = list(session.slots.select_related("booking"))
    assert len(slots) == 4
    for slot in slots:
        assert slot.booking.space == room and slot.booking.is_active
        assert (slot.booking.start, slot.booking.end) == (slot.start, slot.end)
    assert slots[0].start == at(NEXT_MONDAY, 8, 30) and slots[0].end == at(NEXT_MONDAY, 12, 30)


def test_a_room_already_booked_refuses_the_half_days_and_nothing_is_written(
    client, training_manager, alice, room, frozen
):
    coworking.reserve_room(
        room,
        at(NEXT_MONDAY + datetime.timedelta(days=1), 13, 30),
        at(NEXT_MONDAY + datetime.timedelta(days=1), 17, 30),
        purpose="Réunion du conseil",
        booked_by=training_manager,
    )
    session = make_session(days=(), room=room)
    client.force_login(training_manager)

    response = add_slots(client, session)

    body = response.content.decode()
    assert "ne peut pas être réservée pour le 10/03/2026, après-midi" in body
    assert not session.slots.exists()
    assert Booking.objects.filter(space=room).count() == 1


def test_a_booking_cannot_take_the_room_during_a_training(training_manager, alice, room, frozen):
    session = make_session(days=(), room=room)
    from telecentre.training import services

    services.add_slots(session, [NEXT_MONDAY], ["morning"], by=training_manager)

    with pytest.raises(Exception) as error:
        coworking.reserve_room(room, at(NEXT_MONDAY, 9), at(NEXT_MONDAY, 11), purpose="Réunion", booked_by=alice)
    assert error.type.__name__ == "ValidationError"


def test_cancelling_a_session_frees_the_room_and_tells_everyone(
    client, training_manager, alice, bob, room, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    from telecentre.training import services

    session = make_session(days=(), room=room, capacity=1)
    services.add_slots(session, [NEXT_MONDAY], ["morning", "afternoon"], by=training_manager)
    enrolment = make_enrolment(session, alice)
    entry = waitlist.join(session, user=bob)
    client.force_login(training_manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:cancel-session", args=[session.pk]), {"reason": "Formatrice malade."})

    session.refresh_from_db()
    enrolment.refresh_from_db()
    entry.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert entry.status == WaitingListEntry.Status.WITHDRAWN
    assert not Booking.objects.active().filter(space=room).exists()
    assert {tuple(m.to) for m in mailoutbox} == {("alice@example.org",), ("bob@example.org",)}
    assert all("Formatrice malade." in m.body for m in mailoutbox)


def test_the_minimum_command_cancels_sessions_without_enough_trainees_and_sends_the_notice(
    alice, bob, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    too_small = make_session(minimum=3, minimum_check_date=MONDAY)
    make_enrolment(too_small, alice)
    enough = make_session(minimum=1, minimum_check_date=MONDAY)
    make_enrolment(enough, bob)
    later = make_session(minimum=3, minimum_check_date=MONDAY + datetime.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("training_check_minimums", stdout=io.StringIO())

    for session in (too_small, enough, later):
        session.refresh_from_db()
    assert too_small.status == Session.Status.CANCELLED
    assert "1 inscrit(s) le 02/03/2026, 3 nécessaires" in too_small.cancellation_reason
    assert enough.status == later.status == Session.Status.SCHEDULED
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert "Session annulée" in mailoutbox[0].subject
    # Running it again changes nothing.
    call_command("training_check_minimums", stdout=io.StringIO())
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 1


def test_a_new_programme_version_leaves_the_title_of_existing_sessions_alone(frozen):
    programme = make_programme(title="Devenir télétravailleur indépendant")
    session = make_session(programme)

    programme.new_version(title="Devenir télétravailleur indépendant (2027)")

    session.refresh_from_db()
    assert session.title == "Devenir télétravailleur indépendant"
    assert session.programme_version.is_frozen
    assert programme.current_version.number == 2 and not programme.current_version.is_frozen


def test_a_frozen_version_is_read_only_in_the_back_office(admin_client, frozen):
    session = make_session()
    url = reverse("admin:training_programmeversion_change", args=[session.programme_version.pk])

    body = admin_client.get(url).content.decode()

    assert 'name="title"' not in body


def test_the_slots_are_half_days_in_paris_time(frozen):
    session = make_session(days=(datetime.date(2026, 3, 30),))  # the day after the switch to summer time
    morning = session.slots.get(period=Slot.Period.MORNING)
    assert morning.start.astimezone(datetime.UTC).hour == 6  # 08:30 CEST = 06:30 UTC
    assert morning.hours == 4


def test_a_programme_cannot_take_the_short_name_of_a_page(admin_client):
    response = admin_client.post(reverse("admin:training_programme_add"), {"slug": "mine", "published": "on"})
    assert "Ce nom court est utilisé par une page du site" in response.content.decode()
