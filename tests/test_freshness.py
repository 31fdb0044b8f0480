"""Cached fragments (telecentre/freshness.py): renewed as soon as the data behind them changes, never shared
between people, never older than a minute; cached permissions follow every change of powers."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from accounts.models import Household, InstallationProject, User
from telecentre import freshness
from tests.factories import make_commune, make_project, make_staff, make_user

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"<p>rendering {self.calls}</p>"


def test_a_fragment_is_rendered_once_then_served_from_the_cache():
    render = Counter()
    first = freshness.cached_fragment("test", ["accounts"], render)
    again = freshness.cached_fragment("test", ["accounts"], render)
    assert first == again == "<p>rendering 1</p>"
    assert render.calls == 1


def test_a_change_in_a_scope_renews_its_fragments_and_not_the_others():
    accounts_render, forum_render = Counter(), Counter()
    freshness.cached_fragment("a", ["accounts"], accounts_render)
    freshness.cached_fragment("f", ["forum"], forum_render)

    make_commune()  # a save in the accounts app

    freshness.cached_fragment("a", ["accounts"], accounts_render)
    freshness.cached_fragment("f", ["forum"], forum_render)
    assert (accounts_render.calls, forum_render.calls) == (2, 1)


def test_a_deletion_renews_too():
    commune = make_commune()
    render = Counter()
    freshness.cached_fragment("a", ["accounts"], render)
    commune.delete()
    freshness.cached_fragment("a", ["accounts"], render)
    assert render.calls == 2


def test_a_fragment_rendered_during_a_transaction_is_dropped_at_its_commit(django_capture_on_commit_callbacks):
    """A request that rendered between a change and its commit stored a fragment of the old data: the commit's
    second renewal makes sure nobody is served it."""
    render = Counter()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_commune()
        freshness.cached_fragment("a", ["accounts"], render)  # rendered after the change, before the commit
    assert callbacks, "the commit renews the scope again"
    for callback in callbacks:
        callback()
    freshness.cached_fragment("a", ["accounts"], render)
    assert render.calls == 2


def test_no_fragment_outlives_its_minute():
    render = Counter()
    with mock.patch("telecentre.freshness.time.time", return_value=60_000):
        freshness.cached_fragment("a", ["accounts"], render)
    with mock.patch("telecentre.freshness.time.time", return_value=60_059):
        freshness.cached_fragment("a", ["accounts"], render)
    assert render.calls == 1
    with mock.patch("telecentre.freshness.time.time", return_value=60_060):
        freshness.cached_fragment("a", ["accounts"], render)
    assert render.calls == 2


def test_a_stale_fragment_is_rendered_by_one_request_while_the_others_get_the_previous_one():
    render = Counter()
    with mock.patch("telecentre.freshness.time.time", return_value=60_000):
        first = freshness.cached_fragment("a", ["accounts"], render)
    with mock.patch("telecentre.freshness.time.time", return_value=60_061):
        with mock.patch.object(freshness, "_claim_renewal", return_value=False):  # another request renders it
            assert freshness.cached_fragment("a", ["accounts"], render) == first
        assert render.calls == 1
        renewed = freshness.cached_fragment("a", ["accounts"], render)  # this one claims the renewal
    assert render.calls == 2 and renewed != first
    with mock.patch("telecentre.freshness.time.time", return_value=60_062):
        assert freshness.cached_fragment("a", ["accounts"], render) == renewed  # fresh for a minute again
    assert render.calls == 2


def test_a_new_generation_is_never_served_stale():
    render = Counter()
    freshness.cached_fragment("a", ["accounts"], render)
    freshness.bump("accounts")
    with mock.patch.object(freshness, "_claim_renewal", return_value=False):
        freshness.cached_fragment("a", ["accounts"], render)
    assert render.calls == 2


def test_fresh_fragments_take_one_cache_round_trip():
    render = Counter()
    specs = [("a", ["accounts"], render, ()), ("f", ["forum", "accounts"], render, (1,))]
    freshness.cached_fragments(specs)
    with mock.patch.object(freshness, "cache", wraps=freshness.cache) as cache:
        assert freshness.cached_fragments(specs) == ["<p>rendering 1</p>", "<p>rendering 2</p>"]
    assert [call[0] for call in cache.method_calls] == ["get_many"]


def test_a_late_render_from_an_older_generation_is_never_served():
    """A slow request that read the data before a change may store its fragment after the new one: the
    fragment keeps the generations it was rendered under, so it is not served under the new ones."""
    from django.core.cache import cache

    render = Counter()
    freshness.cached_fragment("a", ["accounts"], render)
    key = f"{freshness.PREFIX}:fragment:a:{freshness.get_language()}"
    older = cache.get(key)
    freshness.bump("accounts")
    freshness.cached_fragment("a", ["accounts"], render)
    cache.set(key, older, freshness.KEEP)  # the slow request stores what it rendered before the change
    assert freshness.cached_fragment("a", ["accounts"], render) == "<p>rendering 3</p>"


def test_a_fragment_varies_with_the_language():
    from django.utils import translation

    render = Counter()
    with translation.override("fr"):
        freshness.cached_fragment("a", ["accounts"], render)
    with translation.override("en"):
        freshness.cached_fragment("a", ["accounts"], render)
    assert render.calls == 2


def test_a_successful_post_raises_the_data_version_of_its_author(alice_client, alice):
    before = User.objects.get(pk=alice.pk).data_version
    response = alice_client.post(reverse("accounts:household"), {"members-TOTAL_FORMS": "0", **household_form()})
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).data_version > before


def household_form():
    return {
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }


def test_the_portal_shows_what_the_newcomer_just_changed(alice_client, alice):
    assert "Murat" not in alice_client.get(reverse("portal")).content.decode()
    response = alice_client.post(
        reverse("accounts:project"),
        {"kind": "creation", "sector": "Menuiserie", "description": "Un atelier", "target_commune": make_commune().pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Menuiserie" in alice_client.get(reverse("portal")).content.decode()


def test_the_portal_shows_what_staff_changed_at_once(alice_client, alice):
    project = make_project(alice)
    assert "Rose Vidal" not in alice_client.get(reverse("portal")).content.decode()
    referent = make_staff(
        roles.NEWCOMER_REFERENT, email="referente@telecentre.example", first_name="Rose", last_name="Vidal"
    )
    InstallationProject.objects.filter(pk=project.pk).update(referent=referent)  # no signal: the minute catches it
    project.refresh_from_db()
    project.save()  # what the admin and the staff screens do
    assert "Rose Vidal" in alice_client.get(reverse("portal")).content.decode()


def test_a_save_of_one_persons_account_renders_nobody_elses_cards_again(client, alice, bob):
    make_project(bob)
    client.force_login(bob)
    client.get(reverse("portal"))
    alice.first_name = "Alicia"
    alice.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal")).status_code == 200
    assert len(queries) <= 3, [q["sql"] for q in queries]  # the session and the user: every card from the cache


def test_one_persons_cached_cards_are_never_shown_to_another(client, alice, bob):
    Household.objects.create(owner=alice)
    make_project(alice, sector="Ébénisterie d'Alice")
    client.force_login(alice)
    assert "Ébénisterie d&#x27;Alice" in client.get(reverse("portal")).content.decode()
    client.force_login(bob)
    body = client.get(reverse("portal")).content.decode()
    assert "Alice" not in body


def test_a_warm_portal_costs_a_handful_of_queries(alice_client, alice):
    make_project(alice)
    alice_client.get(reverse("portal"))
    with CaptureQueriesContext(connection) as queries:
        assert alice_client.get(reverse("portal")).status_code == 200
    assert len(queries) <= 3, [q["sql"] for q in queries]  # the session and the user


# Cached permissions ----------------------------------------------------------------------------------------------


def staff_page_status(client):
    return client.get(reverse("impact:index")).status_code


def test_leaving_a_group_takes_its_powers_away_at_once(client):
    director = make_staff(roles.DIRECTOR)
    client.force_login(director)
    assert staff_page_status(client) == 200
    director.groups.clear()
    assert staff_page_status(client) == 403


def test_joining_a_group_gives_its_powers_at_once(client):
    user = make_user(is_staff=True)
    client.force_login(user)
    assert staff_page_status(client) == 403
    Group.objects.get(name=roles.GROUP_NAMES[roles.DIRECTOR]).user_set.add(user)
    assert staff_page_status(client) == 200


def test_a_permission_taken_from_a_group_is_gone_at_once(client):
    director = make_staff(roles.DIRECTOR)
    client.force_login(director)
    assert staff_page_status(client) == 200
    Group.objects.get(name=roles.GROUP_NAMES[roles.DIRECTOR]).permissions.remove(
        Permission.objects.get(codename="view_dashboard")
    )
    assert staff_page_status(client) == 403


def test_a_deactivated_account_has_no_powers(client):
    director = make_staff(roles.DIRECTOR)
    client.force_login(director)
    assert staff_page_status(client) == 200
    director.is_superuser = False
    director.is_active = False
    director.save()
    assert staff_page_status(client) in (302, 403)


def test_permissions_are_read_once_per_minute_not_on_every_request(client):
    director = make_staff(roles.DIRECTOR)
    client.force_login(director)
    client.get(reverse("impact:index"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("impact:index"))
    assert not [q for q in queries if "auth_permission" in q["sql"]]


# A cache that keeps nothing ------------------------------------------------------------------------------------------

DROPPING_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_with_a_cache_that_keeps_nothing_fragments_are_rendered_each_time(settings):
    settings.CACHES = DROPPING_CACHE
    render = Counter()
    assert freshness.cached_fragment("a", ["accounts"], render) == "<p>rendering 1</p>"
    assert freshness.cached_fragment("a", ["accounts"], render) == "<p>rendering 2</p>"


def test_with_a_cache_that_keeps_nothing_the_cached_pages_still_render(settings, client, alice, coworking_manager):
    """Redis down or a cache dropping writes: the pages built from cached fragments render from the database."""
    settings.CACHES = DROPPING_CACHE
    make_project(alice, sector="Menuiserie")
    assert client.get(reverse("forum:index")).status_code == 200
    client.force_login(alice)
    assert "Menuiserie" in client.get(reverse("portal")).content.decode()
    client.force_login(coworking_manager)
    assert client.get(reverse("coworking:grid")).status_code == 200
