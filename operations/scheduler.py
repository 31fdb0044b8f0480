"""The loop of `manage.py run_scheduler`: every minute, claim and run each job whose slot has come."""

import io
import logging
import threading
import time
import traceback

from django.core.management import call_command
from django.db import close_old_connections
from django.db.utils import DatabaseError
from django.utils import timezone

from operations.jobs import JOBS
from operations.models import Heartbeat, JobRun
from operations.tasks import worker_heartbeat

logger = logging.getLogger(__name__)


def run_job(job, slot, now=None):
    """Claim (job, slot) and run it; the finished JobRun, or None when another process had claimed it."""
    if JobRun.objects.filter(job=job.name, slot=slot).exists():
        return None  # the usual case once a slot is done: no failed insert for each minute of the day
    run = JobRun.claim(job.name, slot, now=now)
    if run is None:
        return None
    output = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    except Exception:
        logger.exception("job %s failed", job.name, extra={"job": job.name})
        run.finish(JobRun.Outcome.FAILED, output.getvalue() + traceback.format_exc())
    else:
        run.finish(JobRun.Outcome.SUCCEEDED, output.getvalue())
        logger.info("job %s done in %s", job.name, run.duration, extra={"job": job.name})
    return run


def tick(now=None, jobs=JOBS):
    """One minute's work: the scheduler's heartbeat, the worker's heartbeat task queued, the jobs due."""
    now = now or timezone.now()
    Heartbeat.beat(Heartbeat.SCHEDULER, now)
    worker_heartbeat.enqueue()
    runs = []
    for job in jobs:
        slot = job.slot(now)
        if slot is not None and (run := run_job(job, slot)):
            runs.append(run)
    return runs


def run_forever(stop: threading.Event):
    logger.info("scheduler started: %s jobs", len(JOBS))
    while not stop.is_set():
        close_old_connections()
        try:
            tick()
        except DatabaseError:
            logger.exception("scheduler tick failed; next try in a minute")
        close_old_connections()
        stop.wait(60 - time.time() % 60)  # to the start of the next minute
    logger.info("scheduler stopped")
