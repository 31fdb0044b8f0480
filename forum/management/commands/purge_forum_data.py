"""Anonymise forum registrations older than the retention period (GDPR), keeping anonymous figures.

Names, email addresses, accessibility needs and account links are erased, the
private link stops working; profiles, origins and check-in times stay so that
statistics of past editions remain. Cron (daily):
    python manage.py purge_forum_data
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from forum.models import Attendee, Registration, new_token


def retention_days():
    return getattr(settings, "FORUM_RETENTION_DAYS", 365)


class Command(BaseCommand):
    help = "Anonymise forum registrations of editions that ended more than FORUM_RETENTION_DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be anonymised, change nothing.")
        parser.add_argument("--days", type=int, default=None, help="Override FORUM_RETENTION_DAYS for this run.")

    def handle(self, *args, dry_run=False, days=None, **options):
        days = retention_days() if days is None else days
        due = Registration.objects.past_retention(days).select_related("edition").order_by("edition__year", "pk")
        count = 0
        for registration in due:
            count += 1
            if dry_run:
                self.stdout.write(
                    f"would anonymise registration #{registration.pk} (forum {registration.edition.year}, "
                    f"{registration.attendees.count()} people)"
                )
                continue
            with transaction.atomic():
                anonymise(registration)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{count} registration(s) {verb} (retention: {days} days).")


def anonymise(registration):
    Attendee.objects.filter(registration=registration).update(first_name="", last_name="", email="")
    registration.first_name = ""
    registration.last_name = ""
    registration.email = ""
    registration.accessibility_needs = ""
    registration.user = None
    registration.token = new_token()
    registration.idempotency_key = None
    registration.anonymised_at = timezone.now()
    registration.save()
