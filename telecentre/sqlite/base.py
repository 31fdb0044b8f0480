"""Django's SQLite backend, with the writers of every process queued on a lock file instead of SQLite's busy loop.

A writer that finds SQLite's write lock taken sleeps in SQLite's busy handler, which tries again after 1, 2,
5, 10... then every 100 ms. Under load, a writer that has waited long sleeps 100 ms at a time while
newcomers, trying after 1 ms, take the lock before it: during a rush of forum registrations most took 40 ms
and some 700 ms; a booking waited up to 330 ms for the one-row UPDATE that follows every POST.

Here a writer first takes an exclusive lock (flock) on a file beside the database, then finds SQLite's lock
free. A transaction (`transaction_mode: IMMEDIATE`: it writes) holds the file from BEGIN to its commit or
rollback; a statement that writes outside a transaction holds it while it runs. A waiting writer tries again
every half millisecond, for as long as SQLite's own timeout (OPTIONS "timeout"), then fails with "database
is locked" as SQLite would. The file is released when the connection is closed, and by the kernel if the
process dies. Readers never wait (WAL). An in-memory database has no file to share and no lock.
"""

import fcntl
import os
import time
from contextlib import contextmanager

from django.db.backends.sqlite3 import base

POLL_SECONDS = 0.0005  # between two tries of a waiting writer: the lock changes hands every 1-3 ms under load
READS = ("SELECT", "EXPLAIN")


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_lock_file = None
        self._holds_writer_lock = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self._writer_lock_file = open(writer_lock_path(self.settings_dict["NAME"]), "a+b")  # noqa: SIM115
        return connection

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=QueuedWritesCursor)
        cursor.database = self
        return cursor

    def _start_transaction_under_autocommit(self):
        self.acquire_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.release_writer_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self.release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.release_writer_lock()
            if self._writer_lock_file is not None:
                self._writer_lock_file.close()
                self._writer_lock_file = None

    @contextmanager
    def queued(self, query):
        """Run `query` holding the lock file if it writes outside a transaction (else it is held already, or
        the query only reads)."""
        if (
            self._writer_lock_file is None
            or self._holds_writer_lock
            or self.connection.in_transaction
            or query.lstrip()[:7].upper().startswith(READS)
        ):
            yield
            return
        self.acquire_writer_lock()
        try:
            yield
        finally:
            self.release_writer_lock()

    def acquire_writer_lock(self):
        if self._writer_lock_file is None or self._holds_writer_lock:
            return
        fd = self._writer_lock_file.fileno()
        deadline = time.monotonic() + self.settings_dict["OPTIONS"].get("timeout", 5)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    with self.wrap_database_errors:
                        raise base.Database.OperationalError("database is locked") from None
                time.sleep(POLL_SECONDS)
        self._holds_writer_lock = True

    def release_writer_lock(self):
        if self._holds_writer_lock:
            self._holds_writer_lock = False
            fcntl.flock(self._writer_lock_file.fileno(), fcntl.LOCK_UN)


class QueuedWritesCursor(base.SQLiteCursorWrapper):
    """Django's cursor; a statement that writes outside a transaction waits its turn on the lock file."""

    database = None

    def execute(self, query, params=None):
        with self.database.queued(query):
            return super().execute(query, params)

    def executemany(self, query, param_list):
        with self.database.queued(query):
            return super().executemany(query, param_list)


def writer_lock_path(name):
    return f"{os.fspath(name)}-writers.lock"
