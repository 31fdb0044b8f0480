"""The permission table: every URL of the site x every persona, as declared in url_table.py."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security import url_table
from tests.security.personas import ANONYMOUS, PERSONAS, make_personas
from tests.security.world import build_world

# The admin has its own permission checks, tested through Django's ModelAdmin;
# only its entry point is in the table below.
SKIPPED_NAMESPACES = {"admin"}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_of_the_site_has_a_declared_expectation():
    missing = sorted(set(url_names()) - set(url_table.TABLE))
    assert not missing, f"URLs without an entry in tests/security/url_table.py: {missing}"


def test_the_table_names_only_existing_urls():
    stale = sorted(set(url_table.TABLE) - set(url_names()))
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db):
    users = make_personas()
    return build_world(users)


@pytest.mark.django_db
def test_every_persona_gets_the_declared_answer_on_every_url(client, world):
    failures = []
    checked = 0
    for name, expect in sorted(url_table.TABLE.items()):
        url = reverse(name, kwargs=expect.kwargs(world)) + expect.query
        for persona in PERSONAS:
            client.logout()
            if persona != ANONYMOUS:
                client.force_login(world.users[persona])
            status = client.get(url).status_code
            checked += 1
            if status != expect.statuses[persona]:
                failures.append(f"{name} {url} as {persona}: {status}, expected {expect.statuses[persona]}")
    print(f"permission table: {len(url_table.TABLE)} URLs x {len(PERSONAS)} personas = {checked} checks")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_state_changes_refuse_get(client, world):
    client.force_login(world.users["alice"])
    for name, expect in url_table.TABLE.items():
        if expect.post_only:
            assert client.get(reverse(name, kwargs=expect.kwargs(world))).status_code == 405, name


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(client, world):
    for persona in PERSONAS:
        client.logout()
        if persona != ANONYMOUS:
            client.force_login(world.users[persona])
        status = client.get(reverse("admin:index")).status_code
        expected = 200 if persona not in (ANONYMOUS, "alice", "bob") else 302
        assert status == expected, persona
