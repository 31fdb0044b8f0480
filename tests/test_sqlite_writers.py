"""SQLite as the settings open it (Django's backend, `transaction_mode` IMMEDIATE, a busy timeout): writers of
several connections wait their turn instead of failing, and readers never wait (WAL)."""

import threading

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

from tests.test_settings import database_options


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A file database beside the test one, opened with the default settings' OPTIONS (timeout as given)."""
    path = tmp_path / "db.sqlite3"
    configured = database_options()
    assert configured["transaction_mode"] == "IMMEDIATE" and configured["timeout"] >= 5
    opened = []

    def connect(alias="writers", timeout=5):
        settings = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {**configured, "timeout": timeout},
        }
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
        yield connect
        for wrapper in opened:
            if wrapper.connection is not None:  # the threads close their own
                wrapper.close()


def value(wrapper):
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        return cursor.fetchone()[0]


def test_a_writer_waits_for_the_timeout_then_fails_and_readers_never_wait(database):
    connect = database
    holder, reader, waiting = connect("holder"), connect("reader"), connect("waiting", timeout=0.2)
    with transaction.atomic(using="holder"):  # BEGIN IMMEDIATE: the write lock is taken before any write
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic(using="waiting"):
            pass
        assert value(reader) == 0
        with holder.cursor() as cursor:
            cursor.execute("UPDATE counter SET value = value + 1")
    with transaction.atomic(using="waiting"), waiting.cursor() as cursor:
        cursor.execute("UPDATE counter SET value = value + 1")
    assert value(reader) == 2


def test_concurrent_read_then_write_transactions_all_succeed_and_lose_no_update(database):
    """Four threads, each with its own connection, read the counter and write it back plus one, at once. In a
    deferred transaction two readers that both try to write are refused at once ("database is locked", SQLite
    cannot wait there); begun IMMEDIATE, each waits its turn, and no increment is lost."""
    connect = database
    errors, rounds = [], 40

    def write(index):
        alias = f"writer{index}"
        wrapper = connect(alias)
        try:
            for _ in range(rounds):
                with transaction.atomic(using=alias), wrapper.cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    current = cursor.fetchone()[0]
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [current + 1])
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
    assert value(connect("check")) == 4 * rounds


def test_control_a_deferred_read_then_write_fails_once_another_writer_committed(database):
    """Without IMMEDIATE: B reads, A writes and commits, B's write is refused at once, whatever the timeout."""
    connect = database
    first, second = connect("first"), connect("second")
    deferred = {**second.settings_dict["OPTIONS"], "transaction_mode": "DEFERRED"}
    first.settings_dict["OPTIONS"] = second.settings_dict["OPTIONS"] = deferred
    with transaction.atomic(using="second"):
        assert value(second) == 0
        with transaction.atomic(using="first"), first.cursor() as cursor:
            cursor.execute("UPDATE counter SET value = value + 1")
        with pytest.raises(OperationalError, match="database is locked"), second.cursor() as cursor:
            cursor.execute("UPDATE counter SET value = 1 WHERE id = 1")
    assert value(first) == 1
