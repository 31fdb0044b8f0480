"""Back up the database and every public and private file into one tar archive (README, Backups)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = "Write the database and every public and private file into one archive (readable by its owner only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="The archive to write, or a folder to write telecentre-<date>-<time>.tar in (default: here).",
        )

    def handle(self, *args, path=None, **options):
        target = Path(path or ".")
        if target.is_dir():
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            target = target / f"telecentre-{stamp}.tar"
        try:
            manifest = backups.backup(target)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(len(names) for names in manifest["files"].values())
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"{target}: {manifest['database']} database ({rows} rows), {files} files")
