"""The director sees each job's last run, duration and result, and the processes' heartbeats."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from operations.jobs import JOBS, PARIS
from operations.models import Heartbeat, JobRun

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 17, 30, tzinfo=PARIS)


def make_run(job, slot, seconds, outcome=JobRun.Outcome.SUCCEEDED, output=""):
    return JobRun.objects.create(
        job=job,
        slot=slot,
        host="web-1",
        started_at=slot,
        finished_at=slot + datetime.timedelta(seconds=seconds),
        outcome=outcome,
        output=output,
    )


def test_the_page_lists_every_job_with_its_last_run_duration_and_result(
    client, director, django_assert_max_num_queries
):
    make_run("send_booking_reminders", NOW.replace(day=1, hour=17, minute=0), 1, output="2 reminder(s) queued.")
    make_run("send_booking_reminders", NOW.replace(hour=17, minute=0), 2.5, output="7 reminder(s) queued.")
    make_run("purge_personal_data", NOW.replace(hour=3, minute=30), 0.2, JobRun.Outcome.FAILED, "Traceback: disk full")
    with time_machine.travel(NOW, tick=False):
        Heartbeat.beat(Heartbeat.SCHEDULER, NOW - datetime.timedelta(seconds=30))
        Heartbeat.beat(Heartbeat.WORKER, NOW - datetime.timedelta(minutes=20))
        client.force_login(director)
        with django_assert_max_num_queries(12):
            body = client.get(reverse("operations:jobs")).content.decode()
    assert "7 reminder(s) queued." in body and "2 reminder(s) queued." not in body
    assert "2,5 s" in body
    assert "Échec" in body and "disk full" in body
    assert body.count("Pas encore lancé.") == len(JOBS) - 2
    assert "tous les jours à 17:00" in body and "toutes les 5 minutes" in body
    scheduler_line, worker_line = body.split("Planificateur")[1], body.split("File de tâches")[1]
    assert scheduler_line.split("</li>")[0].count("en marche") == 1
    assert "aucun signe de vie" in worker_line.split("</li>")[0]


def test_the_staff_home_links_to_it_for_the_director_only(client, director, coworking_manager):
    url = reverse("operations:jobs")
    client.force_login(director)
    assert url in client.get(reverse("staff-home")).content.decode()
    client.force_login(coworking_manager)
    assert url not in client.get(reverse("staff-home")).content.decode()
    assert client.get(url).status_code == 403
