"""The permission table: every URL of the site x every persona, as declared in url_table.py."""

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security import url_table
from tests.security.personas import ANONYMOUS, PERSONAS, SUPERUSER, make_personas
from tests.security.world import build_world

# The admin has its own permission checks, tested through Django's ModelAdmin;
# only its entry point is in the table below.
SKIPPED_NAMESPACES = {"admin"}
OWN_APPS = {
    "accounts",
    "privacy",
    "audit",
    "coworking",
    "waitlist",
    "training",
    "housing",
    "committees",
    "forum",
    "journey",
    "impact",
}
UNTRACKED_MODELS = {"accounts.User"}  # force_login stamps last_login


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
def test_state_changes_refuse_get_even_for_those_allowed_to_post(client, world):
    client.force_login(world.users[SUPERUSER])
    post_only = [name for name, expect in url_table.TABLE.items() if expect.post_only]
    for name in post_only:
        expect = url_table.TABLE[name]
        assert client.get(reverse(name, kwargs=expect.kwargs(world))).status_code == 405, name
    print(f"state changes: {len(post_only)} POST-only URLs refuse GET")


def fingerprint():
    """Every row of the site's own tables (people's logins aside): a refused request must change none."""
    rows = []
    for model in apps.get_models():
        if model._meta.app_label not in OWN_APPS or model._meta.label in UNTRACKED_MODELS:
            continue
        rows.append((model._meta.label, sorted(map(repr, model.objects.values_list()))))
    return rows


@pytest.mark.django_db
def test_a_state_change_by_someone_not_allowed_is_refused_and_writes_nothing(client, world):
    before = fingerprint()
    failures, tried = [], 0
    for name, expect in sorted(url_table.TABLE.items()):
        url = reverse(name, kwargs=expect.kwargs(world))
        for persona, expected in expect.refused_posts.items():
            client.logout()
            if persona != ANONYMOUS:
                client.force_login(world.users[persona])
            status = client.post(url, {"reason": "x", "meeting": world.meeting.pk}).status_code
            tried += 1
            if status != expected:
                failures.append(f"POST {name} {url} as {persona}: {status}, expected {expected}")
    print(f"refused state changes: {tried} POSTs by people not allowed")
    assert not failures, "\n".join(failures)
    assert fingerprint() == before


@pytest.mark.django_db
def test_a_wrong_secret_link_is_a_404_for_everybody(client, world):
    for name, kwargs in url_table.CAPABILITIES.items():
        url = reverse(name, kwargs=kwargs("not-the-token"))
        client.logout()
        assert client.get(url).status_code == (302 if name == "coworking:check-in" else 404), name
        client.force_login(world.users["bob"])
        assert client.get(url).status_code == 404, name


@pytest.mark.django_db
def test_changing_the_language_by_get_changes_nothing(client):
    response = client.get(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(client, world):
    for persona in PERSONAS:
        client.logout()
        if persona != ANONYMOUS:
            client.force_login(world.users[persona])
        status = client.get(reverse("admin:index")).status_code
        expected = 200 if persona not in (ANONYMOUS, "alice", "bob") else 302
        assert status == expected, persona
