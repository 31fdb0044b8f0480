"""Every periodic job of the site and its schedule, in Europe/Paris time (run by `manage.py run_scheduler`).

Each job is a management command, so the README's cron table stays a fallback that runs the same code. Every
command is safe to run twice: each records what it has done (a reminder's send date, an offer's status...).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Job:
    command: str
    label: str
    args: tuple = ()
    every_minutes: int | None = None  # or:
    daily_at: datetime.time | None = None

    @property
    def name(self):
        return self.command

    def slot(self, now):
        """The slot due at `now` (aware): the start of the current interval, or today's run once its time has come."""
        if self.every_minutes:
            minutes = int(now.timestamp() // 60)  # Paris is a whole number of hours off UTC: same boundaries
            start = minutes - minutes % self.every_minutes
            return datetime.datetime.fromtimestamp(start * 60, tz=datetime.UTC)
        local = now.astimezone(PARIS)
        today = datetime.datetime.combine(local.date(), self.daily_at, tzinfo=PARIS)
        return today.astimezone(datetime.UTC) if local >= today else None

    def schedule_label(self):
        if self.every_minutes:
            return _("every %(minutes)s minutes") % {"minutes": self.every_minutes}
        return _("daily at %(time)s") % {"time": self.daily_at.strftime("%H:%M")}


def at(hour, minute=0):
    return datetime.time(hour, minute)


JOBS = [
    Job("expire_waitlist_offers", _("Waiting-list offers past their deadline expire"), every_minutes=5),
    Job("release_no_shows", _("Coworking no-shows are released"), every_minutes=5),
    Job("send_booking_reminders", _("Reminders of tomorrow's coworking bookings"), daily_at=at(17)),
    Job("training_check_minimums", _("Training sessions below their minimum are cancelled"), daily_at=at(7)),
    Job("training_send_surveys", _("Training surveys and their reminders"), daily_at=at(9)),
    Job("training_send_convocations", _("Training convocations, a week before"), daily_at=at(8)),
    Job("training_release_unsigned", _("Seats held for unsigned training contracts released"), daily_at=at(6, 30)),
    Job("send_followup_reminders", _("Overdue follow-up check-ins reminded to referents"), daily_at=at(7)),
    Job("send_occupancy_end_alerts", _("End-of-stay alerts (30 days before)"), ("--days", "30"), daily_at=at(8)),
    Job("purge_forum_data", _("Forum registrations past retention are anonymised"), daily_at=at(3)),
    Job("purge_personal_data", _("Personal data past retention is purged"), daily_at=at(3, 30)),
    Job(
        "prune_job_runs",
        _("Scheduler runs older than 90 days and finished heartbeat tasks are deleted"),
        daily_at=at(4),
    ),
]
BY_NAME = {job.name: job for job in JOBS}
