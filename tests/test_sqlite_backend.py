"""The SQLite backend queues the writers of every process and thread on a lock file (telecentre/sqlite)."""

import fcntl
import threading

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

from telecentre.sqlite.base import writer_lock_path


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A file database beside the test one, and a way to open connections to it (closed afterwards)."""
    path = tmp_path / "db.sqlite3"
    opened = []

    def connect(alias="writers", timeout=5, busy_timeout_ms=None):
        init = "PRAGMA journal_mode=WAL;"
        if busy_timeout_ms is not None:  # SQLite's own wait, apart from the queue's
            init += f"PRAGMA busy_timeout={busy_timeout_ms};"
        options = {"transaction_mode": "IMMEDIATE", "timeout": timeout, "init_command": init}
        settings = {"ENGINE": "telecentre.sqlite", "NAME": str(path), "OPTIONS": options}
        wrapper = ConnectionHandler({"default": settings, alias: settings})[alias]
        connections[alias] = wrapper  # for this thread: transaction.atomic(using=alias)
        opened.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        first = connect()
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        first.close()
        yield connect, path
        for wrapper in opened:
            if wrapper.connection is not None:  # the threads close their own
                wrapper.close()


def lock_is_free(path):
    """Whether another process could take the writers' lock now (tried without waiting)."""
    with open(writer_lock_path(path), "a+b") as other:
        try:
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)
        return True


def value(wrapper):
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        return cursor.fetchone()[0]


def test_a_transaction_holds_the_lock_from_begin_to_commit(database):
    connect, path = database
    wrapper = connect()
    with transaction.atomic(using="writers"):
        assert not lock_is_free(path)
        with wrapper.cursor() as cursor:
            cursor.execute("UPDATE counter SET value = value + 1")
        assert not lock_is_free(path)
    assert lock_is_free(path)
    assert value(wrapper) == 1


def test_a_rolled_back_transaction_releases_the_lock(database):
    connect, path = database
    wrapper = connect()
    with pytest.raises(ZeroDivisionError), transaction.atomic(using="writers"):
        with wrapper.cursor() as cursor:
            cursor.execute("UPDATE counter SET value = value + 1")
        1 / 0  # noqa: B018
    assert lock_is_free(path)
    assert value(wrapper) == 0


def test_a_connection_closed_in_a_transaction_releases_the_lock(database):
    connect, path = database
    wrapper = connect()
    with transaction.atomic(using="writers"):
        wrapper.close()
        assert lock_is_free(path)
    assert value(connect("again")) == 0


def test_a_writer_waits_its_turn_then_fails_as_sqlite_would(database):
    connect, path = database
    connect("reader")
    waiting = connect("waiting", timeout=0.2)
    with open(writer_lock_path(path), "a+b") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)  # another process is writing
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic(using="waiting"):
            pass
        with pytest.raises(OperationalError, match="database is locked"), waiting.cursor() as cursor:
            cursor.execute("UPDATE counter SET value = value + 1")
        assert value(connections["reader"]) == 0  # readers never wait
        fcntl.flock(holder.fileno(), fcntl.LOCK_UN)
    with transaction.atomic(using="waiting"), waiting.cursor() as cursor:
        cursor.execute("UPDATE counter SET value = value + 1")
    assert lock_is_free(path)
    assert value(waiting) == 1


def test_a_write_outside_a_transaction_holds_the_lock_while_it_runs(database):
    connect, path = database
    wrapper = connect()
    with wrapper.cursor() as cursor:
        cursor.execute("UPDATE counter SET value = value + 5")
    assert lock_is_free(path)
    assert value(wrapper) == 5


def test_concurrent_writers_never_meet_on_sqlite_lock(database):
    """Four threads, each with its own connection, write at once; SQLite's own wait is off (busy_timeout 0), so
    any two that met on SQLite's lock would fail at once with "database is locked". Queued, none does."""
    connect, _path = database
    errors, rounds = [], 40

    def write(index):
        alias = f"writer{index}"
        wrapper = connect(alias, busy_timeout_ms=0)
        try:
            for _ in range(rounds):
                with transaction.atomic(using=alias), wrapper.cursor() as cursor:
                    cursor.execute("UPDATE counter SET value = value + 1")
                with wrapper.cursor() as cursor:  # autocommit
                    cursor.execute("UPDATE counter SET value = value + 1")
        except OperationalError as error:
            errors.append(error)
        finally:
            wrapper.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert value(connect("check")) == 4 * rounds * 2


def test_an_in_memory_database_has_no_lock_file(django_db_blocker):
    wrapper = ConnectionHandler({"default": {"ENGINE": "telecentre.sqlite", "NAME": ":memory:"}})["default"]
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert wrapper._writer_lock_file is None
        wrapper.close()
