"""Who the client is, and how much the public forms let one client or one email address do.

client_address() is the one place that reads a visitor's address from a request; the limits below are the
one rate-limit mechanism of the site.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import ngettext

from core.addresses import canonical_email


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request):
    """The visitor's IP address, as the trusted reverse proxies saw it.

    Directly connected, REMOTE_ADDR. From a proxy listed in settings.TRUSTED_PROXIES (addresses or
    networks), X-Forwarded-For is read from its right end: each trusted proxy appends the address it
    received the request from, so the first hop from the right that is not a trusted proxy is the
    visitor. Whatever a client wrote in the header itself stays further left and is never read.
    """
    networks = [ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES]
    address = request.META.get("REMOTE_ADDR", "")
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while hops and _trusted(address, networks):
        address = hops.pop()
    return address


# Limits on what a public form costs the site (a registration, an email), counted per client address and per
# email address in fixed windows, in the "ratelimit" cache: Redis when REDIS_URL is set, else a database
# table, so every worker counts in the same place (settings.CACHES).


@dataclass(frozen=True)
class Limit:
    """At most `per_client` actions per window from one client and `per_address` for one email address.

    Each figure is read from the setting named after it when that setting exists (e.g. FORUM_THROTTLE_PER_IP),
    so a deployment can change it without code.
    """

    name: str
    per_client: int
    per_address: int
    window: int = 60 * 60
    client_setting: str = ""
    address_setting: str = ""

    def allowed(self, kind):
        if kind == "client":
            return getattr(settings, self.client_setting, self.per_client) if self.client_setting else self.per_client
        return getattr(settings, self.address_setting, self.per_address) if self.address_setting else self.per_address


FORUM_REGISTRATION = Limit(
    "forum-registration", 30, 5, client_setting="FORUM_THROTTLE_PER_IP", address_setting="FORUM_THROTTLE_PER_EMAIL"
)
FORUM_RESEND = Limit("forum-resend", 10, 3)
ENQUIRY = Limit("enquiry", 10, 3)
ACCESSIBILITY_REPORT = Limit("accessibility-report", 10, 3)
SIGNUP = Limit("signup", 10, 3)
PASSWORD_RESET = Limit("password-reset", 10, 3)
LIMITS = [FORUM_REGISTRATION, FORUM_RESEND, ENQUIRY, ACCESSIBILITY_REPORT, SIGNUP, PASSWORD_RESET]


def _cache():
    return caches["ratelimit"]


def _window(limit, now):
    return int(now // limit.window)


def _digest(value):
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(limit, request, address, now):
    """{kind: cache key} of the current window, for the client and the (canonical) address when there is one."""
    values = {"client": client_address(request) if request is not None else "", "address": canonical_email(address)}
    window = _window(limit, now)
    return {kind: f"ratelimit:{limit.name}:{kind}:{window}:{_digest(v)}" for kind, v in values.items() if v}


def retry_after(limit, request, address=""):
    """Seconds until the client or the address may act again under `limit`; 0 when both may act now.

    Counts nothing: a form refused for its own errors costs nothing, so only count() adds to a limit.
    """
    now = time.time()
    keys = _keys(limit, request, address, now)
    counts = _cache().get_many(list(keys.values()))
    if any(counts.get(key, 0) >= limit.allowed(kind) for kind, key in keys.items()):
        return max(1, int(limit.window - now % limit.window))
    return 0


def count(limit, request, address=""):
    """Count one action (a registration made, an email sent) for the client and the address."""
    keys = list(_keys(limit, request, address, time.time()).values())
    if not keys:
        return
    cache = _cache()
    if incr_windows := getattr(cache, "incr_windows", None):  # Redis (core/cache.py): one round trip
        incr_windows(keys, limit.window)
        return
    for key in keys:
        if not cache.add(key, 1, limit.window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, limit.window)


def lift(value, limits=None):
    """Lift the blocks on a client address or an email address (`value`) under `limits` (all by default).

    Returns the number of limits that were counting it.
    """
    value = value.strip()
    kind = "client" if _is_ip(value) else "address"
    value = value if kind == "client" else canonical_email(value)
    now = time.time()
    keys = [f"ratelimit:{limit.name}:{kind}:{_window(limit, now)}:{_digest(value)}" for limit in limits or LIMITS]
    cache = _cache()
    found = len(cache.get_many(keys))
    cache.delete_many(keys)
    return found


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def retry_message(seconds):
    """What a person is told when a limit stops them: when they may try again."""
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many requests in a short time from this connection or for this address. Please try again in "
        "%(minutes)s minute.",
        "Too many requests in a short time from this connection or for this address. Please try again in "
        "%(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def stop(limit, request, form, field="email"):
    """Whether `limit` stops this valid form now (the seconds to wait, else 0); if so the form says when to
    try again. Checked once the form is valid: a form refused for its own errors never meets a limit."""
    wait = retry_after(limit, request, form.cleaned_data.get(field) or "")
    if wait:
        form.add_error(None, retry_message(wait))
    return wait


def refuse(response, seconds):
    """Mark a page that tells someone to wait as HTTP 429 with Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response
