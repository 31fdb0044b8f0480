"""Many people register at once for the last seats: never more seats than capacity (PostgreSQL)."""

import time
import uuid

import pytest
from django.db import transaction

from forum import booking
from forum.models import Attendee, Registration, Seat, Workshop
from tests.concurrency import requires_postgres, run_in_parallel
from tests.forum.factories import make_edition, make_registration, make_workshop, person
from waitlist.models import WaitingListEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAPACITY = 10
ALREADY_TAKEN = 7
CONTENDERS = 12


def setup_last_seats():
    edition = make_edition()
    workshop = make_workshop(edition, capacity=CAPACITY)
    for n in range(ALREADY_TAKEN):
        make_registration(edition, email=f"early{n}@example.org", workshops=[workshop])
    return edition, workshop


def guarded(args):
    edition, workshop, n = args
    return booking.register(
        edition,
        booker={"first_name": "P", "last_name": str(n), "email": f"p{n}@example.org", "origin": "Murat"},
        people=[person("P", str(n))],
        workshop_ids=[workshop.pk],
        waitlist_if_full=True,
        idempotency_key=uuid.uuid4(),
    )


def unguarded(args):
    """The same write without locks: read the count, pause, write — the classic oversell."""
    edition, workshop, n = args
    with transaction.atomic():
        taken = Seat.objects.filter(workshop=workshop).count()
        time.sleep(0.05)
        if taken >= workshop.capacity:
            return None
        registration = Registration.objects.create(
            edition=edition, first_name="P", last_name=str(n), email=f"u{n}-{uuid.uuid4().hex[:6]}@example.org"
        )
        attendee = Attendee.objects.create(registration=registration, first_name="P", last_name=str(n))
        return Seat.objects.create(workshop=workshop, attendee=attendee, registration=registration)


def test_parallel_registrations_never_oversell_the_last_seats():
    requires_postgres()
    edition, workshop = setup_last_seats()

    results = run_in_parallel(guarded, [(edition, workshop, n) for n in range(CONTENDERS)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Seat.objects.filter(workshop=workshop).count() == CAPACITY
    seated = [r for r in results if r.seated]
    waiting = [r for r in results if r.waitlisted]
    assert len(seated) == CAPACITY - ALREADY_TAKEN
    assert len(waiting) == CONTENDERS - len(seated)
    assert WaitingListEntry.objects.filter(status="waiting").count() == len(waiting)
    assert Registration.objects.count() == ALREADY_TAKEN + CONTENDERS


def test_parallel_replays_of_one_form_create_one_registration():
    requires_postgres()
    edition, workshop = setup_last_seats()
    key = uuid.uuid4()

    def replay(_n):
        return booking.register(
            edition,
            booker={"first_name": "P", "last_name": "Replay", "email": "replay@example.org", "origin": "Murat"},
            people=[person("P", "Replay")],
            workshop_ids=[workshop.pk],
            waitlist_if_full=True,
            idempotency_key=key,
        )

    results = run_in_parallel(replay, list(range(6)))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Registration.objects.filter(email="replay@example.org").count() == 1
    assert sum(1 for r in results if r.created) == 1
    assert len({r.registration.pk for r in results}) == 1


def test_control_without_the_lock_the_race_oversells():
    requires_postgres()
    oversold = 0
    for _round in range(3):
        edition, workshop = setup_last_seats()
        run_in_parallel(unguarded, [(edition, workshop, n) for n in range(CONTENDERS)])
        if Seat.objects.filter(workshop=workshop).count() > Workshop.objects.get(pk=workshop.pk).capacity:
            oversold += 1
    assert oversold >= 1
