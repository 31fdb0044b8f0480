"""The scheduler runs each due job once per slot, records how it went, and keeps the heartbeats."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from coworking import services
from coworking.models import Booking
from operations import scheduler
from operations.jobs import BY_NAME, JOBS, PARIS, Job
from operations.models import Heartbeat, JobRun
from tests.coworking.factories import MONDAY, TUESDAY, at, make_space, slot
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def no_show(db):
    with time_machine.travel(at(MONDAY, 7), tick=False):
        zone = make_space(capacity=2, check_in_grace_minutes=30)
        return services.book(zone, *slot(MONDAY), member=make_user())


def test_a_tick_releases_a_no_show_once_per_slot_and_records_the_run(no_show):
    job = BY_NAME["release_no_shows"]
    with time_machine.travel(at(MONDAY, 9, 1), tick=False):
        (run,) = scheduler.tick(jobs=[job])
        assert scheduler.tick(jobs=[job]) == []  # same slot: nothing runs again
    no_show.refresh_from_db()
    assert no_show.status == Booking.Status.RELEASED
    run.refresh_from_db()
    assert (run.job, run.outcome) == ("release_no_shows", JobRun.Outcome.SUCCEEDED)
    assert run.output == "1 booking(s) released.\n"
    assert run.slot == at(MONDAY, 9, 0) and run.duration is not None
    with time_machine.travel(at(MONDAY, 9, 5), tick=False):
        (later,) = scheduler.tick(jobs=[job])
    assert later.output == "0 booking(s) released.\n"
    assert JobRun.objects.filter(job="release_no_shows").count() == 2


def test_the_daily_jobs_wait_for_their_time_then_run_once_that_day(db):
    with time_machine.travel(paris(2026, 3, 2, 2, 59), tick=False):
        assert {run.job for run in scheduler.tick()} == {"expire_waitlist_offers", "release_no_shows"}
    with time_machine.travel(paris(2026, 3, 2, 3, 0), tick=False):
        ran = {run.job for run in scheduler.tick()}
    assert ran == {"expire_waitlist_offers", "release_no_shows", "purge_forum_data"}
    with time_machine.travel(paris(2026, 3, 2, 23, 59), tick=False):
        ran = {run.job for run in scheduler.tick()}
    daily = {job.name for job in JOBS if job.daily_at} - {"purge_forum_data"}
    assert ran == daily | {"expire_waitlist_offers", "release_no_shows"}
    assert all(run.outcome == JobRun.Outcome.SUCCEEDED for run in JobRun.objects.all()), [
        (run.job, run.output) for run in JobRun.objects.exclude(outcome=JobRun.Outcome.SUCCEEDED)
    ]


def test_a_failing_job_is_recorded_as_failed_and_the_others_still_run(db):
    broken = Job("send_occupancy_end_alerts", "broken", ("--days", "not-a-number"), every_minutes=5)
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        runs = scheduler.tick(jobs=[broken, BY_NAME["release_no_shows"]])
    assert [(run.job, run.outcome) for run in runs] == [
        ("send_occupancy_end_alerts", JobRun.Outcome.FAILED),
        ("release_no_shows", JobRun.Outcome.SUCCEEDED),
    ]
    assert "invalid int value" in JobRun.objects.get(job="send_occupancy_end_alerts").output


def test_a_tick_beats_for_the_scheduler_and_queues_the_worker_heartbeat(db):
    moment = paris(2026, 3, 2, 10, 0)
    with time_machine.travel(moment, tick=False):
        scheduler.tick(jobs=[])
    beats = {beat.name: beat.beat_at for beat in Heartbeat.objects.all()}
    # The tests' task backend runs the task at once, as the worker would.
    assert beats == {Heartbeat.SCHEDULER: moment, Heartbeat.WORKER: moment}


def test_a_reminder_sent_by_the_scheduler_is_not_sent_again_by_the_cron_fallback(
    mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(MONDAY, 7), tick=False):
        services.book(make_space(), *slot(TUESDAY), member=make_user())
    with time_machine.travel(at(MONDAY, 17, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        scheduler.tick(jobs=[BY_NAME["send_booking_reminders"]])
        call_command("send_booking_reminders", stdout=io.StringIO())
        call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert len(mailoutbox) == 1


def test_run_scheduler_once_prints_what_it_ran(no_show):
    out = io.StringIO()
    with time_machine.travel(at(MONDAY, 9, 2), tick=False):
        call_command("run_scheduler", "--once", stdout=out)
    assert "release_no_shows: " in out.getvalue()
    assert JobRun.objects.get(job="release_no_shows").output == "1 booking(s) released.\n"


def test_prune_job_runs_deletes_runs_past_ninety_days(db):
    old = JobRun.objects.create(job="x", slot=paris(2025, 1, 1), host="h", started_at=paris(2025, 1, 1))
    recent = JobRun.objects.create(job="x", slot=paris(2026, 3, 1), host="h", started_at=paris(2026, 3, 1))
    with time_machine.travel(paris(2026, 3, 2, 4), tick=False):
        call_command("prune_job_runs", stdout=io.StringIO())
    assert list(JobRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not JobRun.objects.filter(pk=old.pk).exists()
