"""Replace the database and put back the files from an archive of `manage.py backup` (README, Backups)."""

import tarfile

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = "Replace the database with the archive's and put back its files, then check the row counts."

    def add_arguments(self, parser):
        parser.add_argument("path", help="An archive written by manage.py backup.")
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="Do not ask to confirm.")

    def handle(self, *args, path, interactive=True, **options):
        try:
            manifest = backups.read_manifest(path)
        except (OSError, KeyError, ValueError, tarfile.TarError) as error:
            raise CommandError(f"{path} is not an archive of manage.py backup: {error}") from error
        if interactive:
            answer = input(
                f"The database and the files will be replaced by those of {manifest['created']}. "
                "Stop the web servers, the worker and the scheduler first. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(len(names) for names in manifest["files"].values())
        self.stdout.write(f"Restored the {manifest['created']} backup: {len(manifest['tables'])} tables, {files} files")
