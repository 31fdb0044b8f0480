"""Backup and restore of the whole site: the database and every public and private file, in one tar archive.

The archive holds `manifest.json` (when, which database, the row count of every table, the files),
the database (`database.dump` from pg_dump on PostgreSQL, `database.sqlite3` from SQLite's backup API)
and the files under `files/<storage>/`, read through the storages, so from the disk or an object store
alike. A restore puts back the database, then the files, and checks the row counts against the manifest.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, transaction

FORMAT = 1
FILE_STORAGES = ("default", "private")
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    pass


def row_counts():
    """Rows of every table the site's models own (auto-created many-to-many tables included)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def stored_names(storage, folder=""):
    """Every file of a storage, walked folder by folder (an empty or missing storage has none)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}{sub}/")
    return sorted(names)


def _libpq_environment():
    """The database of the `default` connection, for pg_dump and pg_restore (password never on the command line)."""
    params = connection.get_connection_params()
    variables = {
        "PGDATABASE": params.get("dbname"),
        "PGUSER": params.get("user"),
        "PGPASSWORD": params.get("password"),
        "PGHOST": params.get("host"),
        "PGPORT": str(params["port"]) if params.get("port") else None,
        "PGSSLMODE": params.get("sslmode"),
    }
    return {**os.environ, **{name: value for name, value in variables.items() if value}}


def _run(command):
    # pg_dump or pg_restore with arguments made here; the password travels in the environment.
    result = subprocess.run(command, env=_libpq_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_database(target):
    """Dump the database and count its rows, both as of one instant while the site keeps running."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            # pg_dump reads the snapshot of this transaction, the one the counts are taken in.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
            counts = row_counts()
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ]
            )
        return counts
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # a consistent copy, even while others write
            # Counted in the copy itself, so they describe exactly what was saved (table names from the models).
            count = 'SELECT count(*) FROM "{}"'.format
            return {table: copy.execute(count(table)).fetchone()[0] for table in row_counts()}
        finally:
            copy.close()
    raise BackupError(f"no backup method for {connection.vendor}")


def _load_database(source):
    if connection.vendor == "postgresql":
        database = connection.get_connection_params()["dbname"]
        connection.close()  # pg_restore drops the tables: no open transaction of ours may hold them
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run([*restore, f"--dbname={database}", source])
    else:
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()


def _add(archive, name, handle, size):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(datetime.datetime.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, handle)


def backup(path):
    """Write the archive at `path` (readable by its owner only: it holds personal data). Returns the manifest."""
    path = Path(path)
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS.get(connection.vendor, "database")
        counts = _dump_database(dump)
        # Listed after the dump: every file a dumped row points at is there (later uploads are only extra).
        files = {alias: stored_names(storages[alias]) for alias in FILE_STORAGES}
        manifest = {
            "format": FORMAT,
            "created": created,
            "database": connection.vendor,
            "tables": counts,
            "files": files,
        }
        partial = path.with_name(path.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as output, tarfile.open(fileobj=output, mode="w") as archive:
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            _add(archive, "manifest.json", io.BytesIO(body), len(body))
            with dump.open("rb") as handle:
                _add(archive, dump.name, handle, dump.stat().st_size)
            for alias, names in files.items():
                storage = storages[alias]
                for name in names:
                    with storage.open(name, "rb") as handle:
                        _add(archive, f"files/{alias}/{name}", handle, storage.size(name))
        partial.replace(path)  # a backup cut short never passes for a complete one
    return manifest


def read_manifest(path):
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))


def restore(path):
    """Replace the database and put back every file of the archive at `path`. Returns the manifest."""
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    if manifest["database"] != connection.vendor:
        raise BackupError(f"this archive holds a {manifest['database']} database, the site runs on {connection.vendor}")
    with tarfile.open(path) as archive, tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[connection.vendor]
        with archive.extractfile(dump.name) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target)
        _load_database(str(dump))
        for alias, names in manifest["files"].items():
            storage = storages[alias]
            for name in names:
                if storage.exists(name):
                    storage.delete(name)
                with archive.extractfile(f"files/{alias}/{name}") as handle:
                    saved = storage.save(name, File(handle, name=name))
                if saved != name:
                    raise BackupError(f"{name} was stored as {saved}")
    cache.clear()  # cached pages, fragments and permissions describe the data that was replaced
    counts = row_counts()
    wrong = {
        table: (count, counts.get(table)) for table, count in manifest["tables"].items() if counts.get(table) != count
    }
    if wrong:
        raise BackupError(f"row counts differ from the backup (expected, found): {wrong}")
    return manifest
