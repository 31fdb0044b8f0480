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


def allow(kind, value):
    """Count one attempt for (kind, value); False once the hourly limit is passed."""
    if not value:
        return True
    return _count(_key(kind, value)) <= limits()[kind]


def _count(key):
    """One more attempt counted for key in the current window; the count."""
    if incr_window := getattr(cache, "incr_window", None):  # Redis (telecentre/cache.py): one round trip
        return incr_window(key, WINDOW_SECONDS)
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def client_ip(request):
    """The visitor's address; behind a reverse proxy, the header it sets (FORUM_CLIENT_IP_HEADER, e.g.
    "HTTP_X_REAL_IP"), else every visitor would share the proxy's address and its limit."""
    header = getattr(settings, "FORUM_CLIENT_IP_HEADER", None)
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
