"""Several schedulers at the same minute run a slot once (PostgreSQL, real parallel connections).

The control shows the race is real: the check alone (no claim row) lets every scheduler through.
"""

import datetime
import time

import pytest

from operations import scheduler
from operations.jobs import BY_NAME, PARIS
from operations.models import JobRun
from tests.concurrency import requires_postgres, run_in_parallel

N = 8
SLOT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_n_schedulers_claiming_the_same_slot_run_it_once():
    requires_postgres()
    job = BY_NAME["release_no_shows"]

    results = run_in_parallel(lambda _: scheduler.run_job(job, SLOT), range(N))

    runs = [result for result in results if isinstance(result, JobRun)]
    assert len(runs) == 1 and results.count(None) == N - 1, results
    assert JobRun.objects.filter(job=job.name, slot=SLOT).count() == 1


def unguarded_is_free(job_name):
    """What a scheduler without the claim row would do: check that nobody ran the slot, then run it."""
    free = not JobRun.objects.filter(job=job_name, slot=SLOT).exists()
    time.sleep(0.05)
    if free:
        JobRun.objects.get_or_create(job=job_name, slot=SLOT, defaults={"host": "h", "started_at": SLOT})
    return free


def test_control_without_the_claim_every_scheduler_would_run_the_slot():
    requires_postgres()
    results = run_in_parallel(unguarded_is_free, ["release_no_shows"] * N)
    assert results.count(True) > 1, results
