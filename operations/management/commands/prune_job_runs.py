import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.models import JobRun
from operations.tasks import worker_heartbeat


class Command(BaseCommand):
    help = "Delete the scheduler's runs older than --days days and the worker's finished heartbeat tasks."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, days, **options):
        now = timezone.now()
        runs, _ = JobRun.objects.filter(slot__lt=now - datetime.timedelta(days=days)).delete()
        beats, _ = DBTaskResult.objects.filter(
            task_path=worker_heartbeat.module_path, finished_at__lt=now - datetime.timedelta(days=1)
        ).delete()
        self.stdout.write(f"{runs} job run(s) and {beats} heartbeat task(s) deleted.")
