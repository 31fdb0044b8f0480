"""Parallel allocations of one unit for overlapping dates: exactly one wins (PostgreSQL).

The guard is two-fold: `OccupancyAgreement.objects.allocate` locks the unit row and
rechecks, and the exclusion constraint refuses what a writer skipping the lock
would slip in. The controls show the race exists without them.
"""

import datetime
import importlib
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction

from housing.models import OccupancyAgreement
from tests.concurrency import requires_postgres, run_in_parallel
from tests.factories import make_user
from tests.housing.factories import make_caps, make_occupancy, make_unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 6
ROUNDS = 4
START = datetime.date(2026, 3, 1)
no_overlap = importlib.import_module("housing.migrations.0002_occupancy_no_overlap")


def setup_round():
    make_caps()
    unit = make_unit(name=f"Passerelle {make_user().pk}")
    users = [make_user() for _ in range(WORKERS)]
    # Every request overlaps every other one: same unit, shifted by a day.
    return unit, [(unit, user, START + datetime.timedelta(days=i)) for i, user in enumerate(users)]


def guarded(args):
    unit, user, start = args
    try:
        make_occupancy(unit, user, start, start + datetime.timedelta(days=90))
    except ValidationError as error:
        # Worker threads do not share the test's active language: compare the error code.
        errors = error.error_dict.get("__all__", []) if hasattr(error, "error_dict") else error.error_list
        return errors[0].code if errors else "other"
    return "won"


def unguarded_factory():
    """The write path without the lock: read, pause so every worker reads before anyone writes, then insert."""
    barrier = threading.Barrier(WORKERS, timeout=30)

    def unguarded(args):
        unit, user, start = args
        end = start + datetime.timedelta(days=90)
        try:
            with transaction.atomic():
                clash = OccupancyAgreement.objects.overlapping(unit, start, end).exists()
                barrier.wait()
                time.sleep(0.05)
                if clash:
                    return "refused"
                OccupancyAgreement.objects.create(
                    unit=unit, occupant=user, profile="creation", legal_type="loan", start_date=start,
                    end_date=end, stay_limit=start + datetime.timedelta(days=540),
                )  # fmt: skip
        except IntegrityError:
            return "constraint"
        except OperationalError as error:
            # Two writers waiting on each other's conflicting row: PostgreSQL's exclusion check ends one of
            # them as a deadlock instead of a violation. The constraint refused it all the same.
            if "exclusion constraint" in str(error) and "deadlock" in str(error):
                return "constraint"
            raise
        return "won"

    return unguarded


def test_parallel_allocations_of_one_unit_for_overlapping_dates_exactly_one_wins():
    requires_postgres()
    for _round in range(ROUNDS):
        unit, arguments = setup_round()
        results = run_in_parallel(guarded, arguments)
        assert results.count("won") == 1, results
        assert results.count("overlap") == WORKERS - 1, results
        assert OccupancyAgreement.objects.filter(unit=unit).count() == 1


def test_control_without_lock_nor_constraint_the_unit_is_double_booked():
    requires_postgres()
    with connection.cursor() as cursor:
        cursor.execute(no_overlap.DROP)
    try:
        double_booked = 0
        for _round in range(ROUNDS):
            unit, arguments = setup_round()
            results = run_in_parallel(unguarded_factory(), arguments)
            assert results.count("won") == OccupancyAgreement.objects.filter(unit=unit).count()
            double_booked += OccupancyAgreement.objects.filter(unit=unit).count() > 1
        assert double_booked >= 1
    finally:
        OccupancyAgreement.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(no_overlap.CREATE)


def test_the_exclusion_constraint_alone_stops_a_writer_that_skips_the_lock():
    requires_postgres()
    unit, arguments = setup_round()
    results = run_in_parallel(unguarded_factory(), arguments)
    assert results.count("won") == 1 and results.count("constraint") == WORKERS - 1, results
    assert OccupancyAgreement.objects.filter(unit=unit).count() == 1


def test_the_lock_and_recheck_alone_holds_without_the_constraint():
    """What SQLite relies on: the same guarded path, with the exclusion constraint dropped."""
    requires_postgres()
    with connection.cursor() as cursor:
        cursor.execute(no_overlap.DROP)
    try:
        for _round in range(ROUNDS):
            unit, arguments = setup_round()
            results = run_in_parallel(guarded, arguments)
            assert results.count("won") == 1 and results.count("overlap") == WORKERS - 1, results
            assert OccupancyAgreement.objects.filter(unit=unit).count() == 1
    finally:
        OccupancyAgreement.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(no_overlap.CREATE)
