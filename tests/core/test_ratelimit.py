"""The one rate-limit mechanism (core/ratelimit.py): canonical addresses, counts shared by every worker."""

import os
import subprocess
import sys

import pytest
import redis
from django.core.cache.backends.db import DatabaseCache
from django.test import RequestFactory

from core import ratelimit
from core.addresses import canonical_email
from core.cache import RedisCache

LIMIT = ratelimit.Limit("test-limit", per_client=3, per_address=2)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Claire@Example.org", "claire@example.org"),
        ("attacker+17@example.org", "attacker@example.org"),
        ("Jean.Dupont+forum@GoogleMail.com", "jeandupont@gmail.com"),
        ("j.e.a.n.dupont@gmail.com", "jeandupont@gmail.com"),
        ("jean.dupont@orange.fr", "jean.dupont@orange.fr"),  # dots matter outside Gmail
        ("  not-an-address ", "not-an-address"),
    ],
)
def test_an_address_is_compared_in_its_canonical_form(typed, canonical):
    assert canonical_email(typed) == canonical


def request_from(ip):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def workers(make_cache, monkeypatch):
    """Two cache clients as two workers would hold them; the limit is asked through one, then the other."""
    first, second = make_cache(), make_cache()
    state = {"cache": first}
    monkeypatch.setattr(ratelimit, "_cache", lambda: state["cache"])
    return first, second, state


def redis_cache():
    return RedisCache("redis://127.0.0.1:6379/2", {"KEY_PREFIX": "test-ratelimit"})


def test_counts_made_through_one_worker_stop_the_client_at_another_with_redis(monkeypatch):
    try:
        redis_cache().clear()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    first, second, state = workers(redis_cache, monkeypatch)
    for _ in range(3):
        ratelimit.count(LIMIT, request_from("192.0.2.7"))
    state["cache"] = second
    assert ratelimit.retry_after(LIMIT, request_from("192.0.2.7")) > 0
    assert ratelimit.retry_after(LIMIT, request_from("192.0.2.8")) == 0
    first.clear()


@pytest.mark.django_db
def test_counts_made_through_one_worker_stop_the_address_at_another_without_redis(monkeypatch):
    first, second, state = workers(lambda: DatabaseCache("core_ratelimit", {}), monkeypatch)
    ratelimit.count(LIMIT, request_from("192.0.2.7"), "Claire@example.org")
    ratelimit.count(LIMIT, request_from("192.0.2.8"), "claire+forum@example.org")
    state["cache"] = second
    assert ratelimit.retry_after(LIMIT, request_from("192.0.2.9"), "CLAIRE@example.org") > 0
    assert ratelimit.retry_after(LIMIT, request_from("192.0.2.9"), "pierre@example.org") == 0
    assert ratelimit.lift("claire@example.org", [LIMIT]) == 1
    assert ratelimit.retry_after(LIMIT, request_from("192.0.2.9"), "CLAIRE@example.org") == 0


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [("redis://127.0.0.1:6379/2", "core.cache.RedisCache"), ("", "django.core.cache.backends.db.DatabaseCache")],
)
def test_the_limits_never_count_in_a_workers_own_memory(redis_url, backend):
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "telecentre.settings"}
    code = "from django.conf import settings; print(settings.CACHES['ratelimit']['BACKEND'])"
    found = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == backend


def test_the_message_says_when_to_try_again(settings):
    settings.LANGUAGE_CODE = "fr"
    from django.utils import translation

    with translation.override("fr"):
        assert "Réessayez dans 3 minutes" in ratelimit.retry_message(150)
        assert "Réessayez dans 1 minute." in ratelimit.retry_message(20)
