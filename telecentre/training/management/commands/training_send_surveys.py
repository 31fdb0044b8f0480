from django.core.management.base import BaseCommand

from telecentre.training.services import send_surveys


class Command(BaseCommand):
    help = "Send the end-of-training satisfaction survey and the follow-up survey 60 days later (daily)."

    def handle(self, *args, **options):
        sent = send_surveys()
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} questionnaire(s) sent."))
