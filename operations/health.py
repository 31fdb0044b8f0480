"""What /healthz reports: each part the site needs, as "ok" or why not, and never more (no address, no error
text: a monitoring probe needs no secret and should see none)."""

import secrets
import socket

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.utils import timezone

from operations.models import Heartbeat

OK = "ok"
DOWN = "down"


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return DOWN
    return OK


def shared_cache():
    """A value written and read back (core.cache answers a miss, never an error, when Redis is down)."""
    key, token = f"healthz:{socket.gethostname()}", secrets.token_hex(8)
    cache.set(key, token, 30)
    return OK if cache.get(key) == token else DOWN


def storage(alias):
    """A small file written, read back and removed: the local disk or the object store, each bucket."""
    store = storages[alias]
    token = secrets.token_hex(8).encode()
    try:
        name = store.save(f"healthz/{socket.gethostname()}.txt", ContentFile(token))
        try:
            with store.open(name, "rb") as file:
                readable = file.read() == token
        finally:
            store.delete(name)
    except Exception:  # noqa: BLE001 - a disk, a network or a permission error: each means the same here
        return DOWN
    return OK if readable else DOWN


def heartbeats():
    """Each background process: "ok", "stale" (it stopped beating), or "never" (it never ran here)."""
    now = timezone.now()
    try:
        beats = {beat.name: beat for beat in Heartbeat.objects.all()}
    except DatabaseError:
        return dict.fromkeys((Heartbeat.WORKER, Heartbeat.SCHEDULER), DOWN)
    return {
        name: (OK if beats[name].is_fresh(now) else "stale") if name in beats else "never"
        for name in (Heartbeat.WORKER, Heartbeat.SCHEDULER)
    }


def report():
    """The checks and whether they all passed."""
    files = {"public": storage("default"), "private": storage("private")}
    checks = {"database": database(), "cache": shared_cache(), "storage": files, **heartbeats()}
    parts = [value for name, value in checks.items() if name != "storage"] + list(files.values())
    return all(part == OK for part in parts), checks
