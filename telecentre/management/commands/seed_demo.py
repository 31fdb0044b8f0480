from django.core.management.base import BaseCommand
from django.db import transaction

from telecentre import demo


class Command(BaseCommand):
    help = "Load the demo territory (idempotent): communes, staff, newcomers, spaces, trainings, housing, forum."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.seed_all(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins are listed in the README."))
