"""Versions of cached data (core/versions.py): kept in the database, so every worker reads the same ones."""

import pytest

from core import versions

pytestmark = pytest.mark.django_db


def test_a_renewal_changes_the_versions_read_and_only_those_that_include_it():
    grid, other = versions.current("a", prefix="space:"), versions.current("b")
    versions.renew("space:1")
    assert versions.current("a", prefix="space:") != grid
    assert versions.current("b") == other
    renewed = versions.current("a", prefix="space:")
    assert versions.current("a", prefix="space:") == renewed


def test_a_fragment_is_rendered_again_under_a_new_version_only():
    calls = []

    def render():
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    def fragment():
        return versions.cached("test", render, vary=(versions.current("a"),), timeout=60)

    assert fragment() == fragment() == "<p>1</p>"
    versions.renew("a")
    assert fragment() == "<p>2</p>"


def test_with_a_cache_that_keeps_nothing_a_fragment_is_rendered_each_time(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    calls = []
    for _ in range(2):
        versions.cached("test", lambda: calls.append(1), vary=(), timeout=60)
    assert len(calls) == 2
