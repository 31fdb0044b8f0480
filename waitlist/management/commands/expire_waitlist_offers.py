from django.core.management.base import BaseCommand

from waitlist.services import expire_offers


class Command(BaseCommand):
    help = "Expire waiting-list offers past their deadline, offer the places to the next people (cron: every 5 min)."

    def handle(self, *args, **options):
        count = expire_offers()
        self.stdout.write(f"{count} offer(s) expired.")
