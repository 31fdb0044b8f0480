"""Parallel enrolments for the last seats, on PostgreSQL with real concurrent connections."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from telecentre.training import services
from telecentre.training.models import Enrolment
from tests.concurrency import requires_postgres, run_in_parallel
from tests.factories import make_user
from tests.training.factories import make_session
from waitlist.models import WaitingListEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DETAILS = {"funding": "personal"}


def upcoming_session(capacity):
    return make_session(days=(timezone.localdate() + datetime.timedelta(days=10),), capacity=capacity)


def test_parallel_enrolments_never_exceed_capacity_and_the_others_wait_in_line():
    requires_postgres()
    session = upcoming_session(capacity=3)
    people = [make_user() for _ in range(10)]

    results = run_in_parallel(lambda person: services.enrol(session, person, details=DETAILS), people)

    assert not [r for r in results if isinstance(r, Exception)]
    # Self-paying trainees: each seat is held for the contract's signature, and held seats count.
    assert Enrolment.objects.filter(session=session).seated().count() == 3
    assert WaitingListEntry.objects.for_target(session).waiting().count() == 7
    assert sum(1 for enrolment, entry in results if enrolment) == 3


def test_parallel_double_submissions_by_one_person_enrol_them_once():
    requires_postgres()
    session = upcoming_session(capacity=5)
    person = make_user()

    results = run_in_parallel(lambda _: services.enrol(session, person, details=DETAILS), range(6))

    assert Enrolment.objects.filter(session=session, trainee=person).count() == 1
    assert sum(1 for r in results if isinstance(r, Exception)) == 5


def unguarded_enrol(session, person):
    """The write path without the session lock: read the count, pause, write."""
    with transaction.atomic():
        taken = Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).count()
        time.sleep(0.05)
        if taken < session.capacity:
            Enrolment.objects.create(session=session, trainee=person, status=Enrolment.Status.ENROLLED)


def test_control_without_the_lock_the_last_seat_is_sold_twice():
    requires_postgres()
    oversold = 0
    for _round in range(5):
        session = upcoming_session(capacity=1)
        people = [make_user() for _ in range(4)]
        run_in_parallel(lambda person, s=session: unguarded_enrol(s, person), people)
        if Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).count() > 1:
            oversold += 1
    assert oversold >= 1
