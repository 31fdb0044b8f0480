from django.core.management.base import BaseCommand

from privacy import retention


class Command(BaseCommand):
    help = "Purge or anonymise personal data past its retention period. Use --dry-run first to list it."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be purged, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        for rule, count in retention.run(dry_run=dry_run):
            verb = "would be processed" if dry_run else "processed"
            days = rule.period.days
            self.stdout.write(f"{rule.label} (> {days} days): {count} {verb}")
