from django.core.management.base import BaseCommand

from telecentre.training.services import cancel_sessions_below_minimum


class Command(BaseCommand):
    help = "Cancel the training sessions whose minimum is not reached on their check date, and tell everyone (daily)."

    def handle(self, *args, **options):
        cancelled = cancel_sessions_below_minimum()
        for session in cancelled:
            self.stdout.write(f"Cancelled session {session.pk}: {session.cancellation_reason}")
        self.stdout.write(self.style.SUCCESS(f"{len(cancelled)} session(s) cancelled."))
