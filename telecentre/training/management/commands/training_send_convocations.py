from django.core.management.base import BaseCommand

from telecentre.training.services import send_due_convocations


class Command(BaseCommand):
    help = "Send the convocation of every final enrolment whose session starts within a week (daily)."

    def handle(self, *args, **options):
        sent = send_due_convocations()
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} convocation(s) sent."))
