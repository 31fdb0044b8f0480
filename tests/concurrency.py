"""Run a function from several threads at once, each with its own database connection.

Used by the PostgreSQL concurrency tests (`@pytest.mark.postgres` with
`django_db(transaction=True)`): every worker waits on a barrier so the calls
really overlap, and closes its connection when done.
"""

import threading

import pytest
from django.db import connection, connections


def requires_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency guarantees are proven on PostgreSQL (DATABASE_URL)")


def run_in_parallel(func, arguments):
    """Call func(arg) for each arg in its own thread, all released together; return results or exceptions."""
    barrier = threading.Barrier(len(arguments))
    results = [None] * len(arguments)

    def worker(index, argument):
        try:
            barrier.wait(timeout=30)
            results[index] = func(argument)
        except Exception as exc:  # noqa: BLE001 - the caller inspects what each worker raised
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
