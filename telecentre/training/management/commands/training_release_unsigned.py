from django.core.management.base import BaseCommand

from telecentre.training.services import release_unsigned_seats


class Command(BaseCommand):
    help = "Offer to the waiting list every seat held for a training contract not signed by its last day (daily)."

    def handle(self, *args, **options):
        released = release_unsigned_seats()
        self.stdout.write(self.style.SUCCESS(f"{len(released)} held seat(s) released."))
