from django.core.management.base import BaseCommand

from coworking.services import release_no_shows


class Command(BaseCommand):
    help = "Release bookings not checked in within their space's delay and offer the places (cron: every 5 min)."

    def handle(self, *args, **options):
        self.stdout.write(f"{release_no_shows()} booking(s) released.")
