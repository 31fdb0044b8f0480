"""Many people register at once for the last seats: never more seats than capacity (PostgreSQL)."""

import time
import uuid

import pytest
from django.core.exceptions import ValidationError
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


def register(edition, n, workshops=(), email=None, people=1):
    return booking.register(
        edition,
        booker={"first_name": "P", "last_name": str(n), "email": email or f"p{n}@example.org", "origin": "Murat"},
        people=[person("P", f"{n}-{i}") for i in range(people)],
        workshop_ids=[w.pk for w in workshops],
        waitlist_if_full=True,
        idempotency_key=uuid.uuid4(),
    )


def test_parallel_registrations_never_exceed_the_venue_capacity():
    """The venue's running total is checked and raised by one conditional UPDATE: never past capacity."""
    requires_postgres()
    edition = make_edition(capacity=10)
    for n in range(7):
        make_registration(edition, email=f"early{n}@example.org")
    workshops = [make_workshop(edition, capacity=50, start=(9 + n, 0), end=(9 + n, 45)) for n in range(3)]

    results = run_in_parallel(lambda n: register(edition, n, [workshops[n % 3]]), list(range(CONTENDERS)))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == CONTENDERS - 3 and {r.code for r in refused} == {"venue_full"}, results
    edition.refresh_from_db()
    assert edition.attendee_total == edition.attendee_count() == 10
    assert Seat.objects.filter(workshop__in=workshops).count() == 3


def test_parallel_registrations_of_one_address_keep_one():
    """Two forms with the same address sent at once (different keys): the unique index keeps the first."""
    requires_postgres()
    edition, workshop = setup_last_seats()

    results = run_in_parallel(lambda n: register(edition, n, [workshop], email="same@example.org"), list(range(6)))

    assert sum(1 for r in results if isinstance(r, booking.Outcome)) == 1, results
    assert {r.code for r in results if isinstance(r, ValidationError)} == {"duplicate_email"}
    assert Registration.objects.filter(email="same@example.org").count() == 1
    assert Seat.objects.filter(workshop=workshop).count() == ALREADY_TAKEN + 1


def test_a_rush_on_several_workshops_with_cancellations_never_oversells_nor_deadlocks():
    """Groups register for two workshops at a time while others cancel: every call ends, nothing is oversold."""
    requires_postgres()
    edition = make_edition()
    workshops = [make_workshop(edition, capacity=6, start=(9 + n, 0), end=(9 + n, 45)) for n in range(3)]
    early = [make_registration(edition, email=f"early{n}@example.org", workshops=workshops[:2]) for n in range(4)]

    def act(n):
        if n < len(early):
            return booking.cancel(early[n])
        return register(edition, n, [workshops[n % 3], workshops[(n + 1) % 3]], people=1 + n % 2)

    results = run_in_parallel(act, list(range(16)))

    assert not [r for r in results if isinstance(r, Exception)], results
    for workshop in workshops:
        assert Seat.objects.filter(workshop=workshop).count() <= workshop.capacity
    edition.refresh_from_db()
    assert edition.attendee_total == edition.attendee_count()
    outcomes = [r for r in results if isinstance(r, booking.Outcome)]
    assert WaitingListEntry.objects.filter(status__in=["waiting", "offered"]).count() >= sum(
        1 for r in outcomes if r.waitlisted
    )
