"""Each job's slot in Europe/Paris time, and a registry that matches the README's cron fallback."""

import datetime
import re
from pathlib import Path

from django.core.management import get_commands

from operations.jobs import JOBS, PARIS, Job, at

README = Path(__file__).resolve().parents[2] / "README.md"


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_an_interval_job_slot_is_the_start_of_its_five_minutes():
    job = Job("j", "j", every_minutes=5)
    assert job.slot(paris(2026, 3, 2, 9, 7, 42)) == paris(2026, 3, 2, 9, 5)
    assert job.slot(paris(2026, 3, 2, 9, 10)) == paris(2026, 3, 2, 9, 10)


def test_a_daily_job_is_due_from_its_paris_time_on_and_keeps_the_day_as_its_slot():
    job = Job("j", "j", daily_at=at(17))
    assert job.slot(paris(2026, 3, 2, 16, 59)) is None
    assert job.slot(paris(2026, 3, 2, 17, 0)) == paris(2026, 3, 2, 17, 0)
    assert job.slot(paris(2026, 3, 2, 23, 30)) == paris(2026, 3, 2, 17, 0)  # a scheduler started late catches up
    assert job.slot(paris(2026, 3, 3, 0, 5)) is None


def test_daily_times_stay_paris_times_across_the_change_to_summer_time():
    job = Job("j", "j", daily_at=at(7))
    winter, summer = job.slot(paris(2026, 3, 28, 8)), job.slot(paris(2026, 3, 29, 8))
    assert winter.astimezone(datetime.UTC).hour == 6 and summer.astimezone(datetime.UTC).hour == 5
    assert summer.astimezone(PARIS).hour == 7


def test_every_job_is_a_command_and_names_are_unique():
    commands = get_commands()
    assert all(job.command in commands for job in JOBS)
    assert len({job.name for job in JOBS}) == len(JOBS)


def test_the_readme_table_lists_the_same_commands_at_the_same_times():
    rows = re.findall(r"^\| (every \d+ minutes|daily, \d\d:\d\d) \| `manage\.py ([^`]+)`", README.read_text(), re.M)
    registry = {
        " ".join([job.command, *job.args]): (
            f"every {job.every_minutes} minutes" if job.every_minutes else f"daily, {job.daily_at:%H:%M}"
        )
        for job in JOBS
    }
    # The backup writes to one host's folder: it stays a cron line of that host, outside the scheduler.
    table = {command: when for when, command in rows if not command.startswith("backup ")}
    assert table == registry
