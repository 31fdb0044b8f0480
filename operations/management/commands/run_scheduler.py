import signal
import threading

from django.core.management.base import BaseCommand

from operations import scheduler


class Command(BaseCommand):
    help = "Run every periodic job on its schedule (operations/jobs.py), once per slot across all hosts."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs due now, then exit (e.g. from cron).")

    def handle(self, *args, once=False, **options):
        if once:
            for run in scheduler.tick():
                self.stdout.write(f"{run.job}: {run.get_outcome_display()}")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())  # the job under way finishes, then the loop ends
        scheduler.run_forever(stop)
