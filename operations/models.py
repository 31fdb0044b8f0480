"""What the scheduler ran, and when each background process last showed it was alive."""

import datetime
import socket

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobRunQuerySet(models.QuerySet):
    def latest_per_job(self):
        """The last run of each job, in one query."""
        latest = self.filter(job=models.OuterRef("job")).order_by("-slot").values("pk")[:1]
        return self.filter(pk=models.Subquery(latest))


class JobRun(models.Model):
    """One slot of one periodic job: the row is the claim, so a slot runs once whatever the number of hosts."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=64)
    slot = models.DateTimeField(_("slot"))
    host = models.CharField(_("host"), max_length=255)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, default=Outcome.RUNNING)
    output = models.TextField(_("output"), blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "slot"],
                name="jobrun_once_per_slot",
                violation_error_message=_("This job has already run for this slot."),
            )
        ]

    def __str__(self):
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"

    @classmethod
    def claim(cls, job, slot, now=None):
        """Insert the claim row for (job, slot); None when another process holds it already."""
        try:
            with transaction.atomic():
                return cls.objects.create(
                    job=job, slot=slot, host=socket.gethostname(), started_at=now or timezone.now()
                )
        except IntegrityError:
            return None

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None

    def finish(self, outcome, output, now=None):
        self.outcome = outcome
        self.output = output[-4000:]
        self.finished_at = now or timezone.now()
        self.save(update_fields=["outcome", "output", "finished_at"])


class Heartbeat(models.Model):
    """The last time a background process (the scheduler, the task worker) proved it runs."""

    SCHEDULER = "scheduler"
    WORKER = "worker"
    # Beyond this age a process is reported down: the scheduler beats every minute, the worker when it runs
    # the heartbeat task the scheduler queues every minute.
    MAX_AGE = {SCHEDULER: datetime.timedelta(minutes=3), WORKER: datetime.timedelta(minutes=5)}

    name = models.CharField(_("process"), max_length=32, primary_key=True)
    beat_at = models.DateTimeField(_("last beat"))
    host = models.CharField(_("host"), max_length=255)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name, now=None):
        cls.objects.bulk_create(
            [cls(name=name, beat_at=now or timezone.now(), host=socket.gethostname())],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["beat_at", "host"],
        )

    def is_fresh(self, now=None):
        return (now or timezone.now()) - self.beat_at <= self.MAX_AGE[self.name]
