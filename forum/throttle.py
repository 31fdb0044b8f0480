"""Per-address and per-IP limits on the public forms, counted in Django's cache (no CAPTCHA)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _key(kind, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"forum-throttle:{kind}:{digest}"


def limits():
    return {
        "ip": getattr(settings, "FORUM_THROTTLE_PER_IP", 30),
        "email": getattr(settings, "FORUM_THROTTLE_PER_EMAIL", 5),
    }


def allow_all(**values):
    """Count one attempt for each kind given a value (ip=..., email=...), all in one cache round trip when
    the cache can; False once any of them is past its hourly limit."""
    values = {kind: value for kind, value in values.items() if value}
    if not values:
        return True
    counts = _count([_key(kind, value) for kind, value in values.items()])
    return all(count <= limits()[kind] for kind, count in zip(values, counts, strict=True))


def _count(keys):
    """One more attempt counted for each key in the current window; their counts."""
    if incr_windows := getattr(cache, "incr_windows", None):  # Redis (telecentre/cache.py): one round trip
        return incr_windows(keys, WINDOW_SECONDS)
    return [_count_one(key) for key in keys]


def _count_one(key):
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1
