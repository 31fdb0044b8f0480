"""Pages measured against the volume data of `seed_scale` at two sizes (the larger five times the smaller)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import roles
from accounts.models import User
from telecentre import scale

SMALL, LARGE = 0.001, 0.005
# Paths that are not pages (downloads, forms that only accept POST, redirects to other sites) or belong to
# Django itself; their GET is not what the budget is about.
SKIPPED_NAMESPACES = {"admin", "djdt"}
SKIPPED_WORDS = ("export", ".pdf", ".ics", ".svg", ".csv", ".xlsx", "minutes", "certificate", "logout", "setlang")


@pytest.fixture
def seed_volume(db):
    """seed_volume(factor): fill the database with scale data (the test's transaction undoes it)."""

    def seed(factor):
        cache.clear()
        scale.seed_all(factor)

    return seed


def newcomer():
    return User.objects.get(email=scale.newcomer_email(0))


def staff(role):
    return User.objects.get(email=scale.staff_email(role))


def superuser():
    user, _created = User.objects.get_or_create(
        email="perf-admin@example.org", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def count_queries(client, user, path, warm=False):
    """(status, queries) of one GET, after a first GET that fills the per-process caches.

    Unless `warm`, the shared cache is emptied in between: cached fragments (telecentre/freshness.py) would
    otherwise hide what rendering the page costs, and an N+1 with them.
    """
    client.force_login(user) if user else client.logout()
    client.get(path)
    if not warm:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def parameterless_pages():
    """Every named URL of the site without a parameter in its path, as (name, path)."""
    pages = []

    def walk(patterns, namespace, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name and "<" not in prefix + str(entry.pattern):
                name = f"{namespace}{entry.name}"
                path = reverse(name)
                if not any(word in path or word in name for word in SKIPPED_WORDS):
                    pages.append((name, path))

    walk(get_resolver().url_patterns, "", "")
    return sorted(set(pages))


ROLES = [
    roles.DIRECTOR,
    roles.COWORKING_MANAGER,
    roles.TRAINING_MANAGER,
    roles.HOUSING_OFFICER,
    roles.FORUM_ORGANISER,
    roles.NEWCOMER_REFERENT,
]
