import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.emails import send_templated_email
from coworking import calendar
from coworking.feeds import booking_ics
from coworking.models import Booking


def send_reminders(now=None):
    """Email every member booked tomorrow (Europe/Paris), once per booking; returns how many."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    due = (
        Booking.objects.active()
        .filter(member__isnull=False, reminder_sent_at__isnull=True)
        .filter(start__gte=calendar.local(tomorrow, datetime.time.min))
        .filter(start__lte=calendar.local(tomorrow, datetime.time.max))
        .select_related("member", "space")
    )
    sent = 0
    for booking in due:
        with transaction.atomic():
            # Claim the booking first: two runs at once never send twice.
            if not Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                continue
            send_templated_email(
                booking.member.email,
                "coworking_reminder",
                {"booking": booking},
                language=booking.member.preferred_language,
                attachments=[("reservation.ics", booking_ics(booking), "text/calendar")],
            )
        sent += 1
    return sent


class Command(BaseCommand):
    help = "Email tomorrow's coworking bookings to their members (cron: once a day, e.g. 17:00)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminder(s) queued.")
