import time

from django.core.management.base import BaseCommand, CommandError

from telecentre import scale


class Command(BaseCommand):
    help = (
        "Fill an empty database with years of activity of a large territory (bulk inserts): at factor 1, "
        "20 000 newcomers, 200 spaces and 500 000 bookings, 2 000 training sessions, 1 000 housing units with "
        "20 000 applications, 10 forum editions with 50 000 registrations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="Volume multiplier (0.01 for a small test).")
        parser.add_argument("--only", nargs="*", metavar="APP", help="Run only these apps' generators.")

    def handle(self, *args, factor, only, **options):
        if factor <= 0:
            raise CommandError("--factor must be positive.")
        if scale.is_seeded() and not only:
            raise CommandError("This database already holds scale data: use a fresh database.")
        started = time.perf_counter()
        scale.seed_all(factor, self.stdout, only=only)
        self.stdout.write(
            self.style.SUCCESS(f"Scale data (factor {factor:g}) ready in {time.perf_counter() - started:.1f} s.")
        )
