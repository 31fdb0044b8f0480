"""Query budgets: no page makes more queries when the data grows (no N+1), and the key pages stay within a
fixed number of queries at a small and at a five times larger volume of `seed_scale` data."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from accounts import roles
from tests.perf.conftest import LARGE, SMALL, count_queries, newcomer, parameterless_pages, staff, superuser

# Pages that take a parameter, found in the volume data: (label, function returning the path or None).


def _first(queryset):
    return queryset.order_by("pk").first()


def detail_pages():
    from coworking.models import Space
    from forum.models import Registration
    from housing.models import Proposal
    from telecentre.training.models import Session, Slot

    space = _first(Space.objects.filter(slug__startswith="scale-"))
    proposal = Proposal.objects.order_by("-pk").first()
    session = Session.objects.filter(enrolments__isnull=False).order_by("-pk").first()
    slot = Slot.objects.filter(attendances__isnull=False).order_by("-pk").first()
    registration = Registration.objects.filter(status="confirmed").order_by("-pk").first()
    pages = [
        ("coworking:space", [space.slug] if space else None),
        ("housing:proposal", [proposal.pk] if proposal else None),
        ("housing:meeting", [proposal.item.meeting_id] if proposal else None),
        ("training:session", [session.pk] if session else None),
        ("training:staff-session", [session.pk] if session else None),
        ("training:slot-sheet", [slot.pk] if slot else None),
        ("training:programme", [session.programme_version.programme.slug] if session else None),
        ("forum:manage", [registration.token] if registration else None),
    ]
    paths = []
    for name, args in pages:
        if args is not None:  # a renamed page fails here (NoReverseMatch) rather than going unmeasured
            paths.append((name, reverse(name, args=args)))
    paths.append(("coworking:grid (week)", reverse("coworking:grid") + "?view=week"))
    return paths


def measure_all(client, people):
    """Query counts of every page, each pass from a cold cache: what an earlier test or pass left cached must not
    decide which volume pays for filling it."""
    cache.clear()
    counts = {}
    for name, path in parameterless_pages() + detail_pages():
        for label, user in people():
            counts[(name, label)] = count_queries(client, user, path)
    return counts


def people():
    return [("anonymous", None), ("newcomer", newcomer()), ("superuser", superuser())]


def test_no_page_makes_more_queries_with_five_times_the_data(client, seed_volume):
    """Every page of the site, as a visitor, a newcomer with a long history and a superuser."""
    savepoint = transaction.savepoint_create()
    seed_volume(SMALL)
    small = measure_all(client, people)
    transaction.savepoint_rollback(savepoint)
    seed_volume(LARGE)
    large = measure_all(client, people)

    grew = {
        page: (small[page][1], large[page][1]) for page in large if page in small and large[page][1] > small[page][1]
    }
    assert not grew, f"pages whose query count grows with the data (small, 5x): {grew}"
    assert len(large) > 50


# Fixed budgets for the pages `make bench` measures and the other staff and portal screens: the most
# queries each may make, whatever the volume (session, user, permissions, the organisation record the header
# names on a cold cache and the page's own queries).
BUDGETS = [
    ("home", None, None, 4),
    ("forum:index", None, None, 4),
    ("forum:programme", None, None, 12),
    ("portal", "newcomer", None, 40),
    ("staff-home", roles.DIRECTOR, None, 12),
    ("coworking:index", "newcomer", None, 12),
    ("coworking:my-bookings", "newcomer", None, 14),
    ("coworking:grid", roles.COWORKING_MANAGER, None, 12),  # 11, and the versions its cache key holds
    ("coworking:statistics", roles.COWORKING_MANAGER, None, 14),
    ("coworking:invoicing", roles.COWORKING_MANAGER, None, 14),
    ("training:index", "newcomer", None, 12),
    ("training:mine", "newcomer", None, 14),
    ("training:staff-calendar", roles.TRAINING_MANAGER, None, 14),
    ("housing:index", "newcomer", None, 14),
    ("housing:staff-board", roles.HOUSING_OFFICER, None, 16),
    ("housing:timeline", roles.HOUSING_OFFICER, None, 14),
    ("housing:proposal", roles.HOUSING_OFFICER, "proposal", 13),
    ("forum:checkin", roles.FORUM_ORGANISER, None, 12),
    ("forum:statistics", roles.FORUM_ORGANISER, None, 20),
    ("journey:mine", "newcomer", None, 20),
    ("journey:board", roles.NEWCOMER_REFERENT, None, 16),
    ("impact:index", roles.DIRECTOR, None, 40),
]


def budget_path(name, needs):
    if needs == "proposal":
        from housing.models import Proposal

        proposal = Proposal.objects.order_by("-pk").first()
        return reverse(name, args=[proposal.pk]) if proposal else None
    return reverse(name)


@pytest.mark.parametrize("factor", [SMALL, LARGE], ids=["small", "5x"])
def test_key_pages_stay_within_their_query_budget(client, seed_volume, factor):
    seed_volume(factor)
    over = {}
    for name, who, needs, budget in BUDGETS:
        path = budget_path(name, needs)  # a renamed page fails here (NoReverseMatch) rather than going unmeasured
        assert path is not None, f"{name}: nothing in the volume data to show"
        user = newcomer() if who == "newcomer" else staff(who) if who else None
        status, queries = count_queries(client, user, path)
        assert status == 200, f"{name} answered {status} to {who or 'a visitor'}"
        if queries > budget:
            over[name] = f"{queries} queries, budget {budget}"
    assert not over, f"pages over their query budget: {over}"


# The pages `make bench` measures, served again while nothing changed: from their cached fragments
# (telecentre/freshness.py), the session and the user, and little else.
WARM_BUDGETS = [
    ("forum:index", None, None, 2),
    ("portal", "newcomer", None, 3),
    ("coworking:grid", roles.COWORKING_MANAGER, None, 4),  # and the versions (core/versions.py)
    ("housing:proposal", roles.HOUSING_OFFICER, "proposal", 3),
    ("impact:index", roles.DIRECTOR, None, 3),
]


def test_key_pages_served_again_mostly_come_from_the_cache(client, seed_volume):
    seed_volume(SMALL)
    over = {}
    for name, who, needs, budget in WARM_BUDGETS:
        path = budget_path(name, needs)
        assert path is not None, name
        user = newcomer() if who == "newcomer" else staff(who) if who else None
        status, queries = count_queries(client, user, path, warm=True)
        assert status == 200, f"{name} answered {status} to {who or 'a visitor'}"
        if queries > budget:
            over[name] = f"{queries} queries, budget {budget}"
    assert not over, f"pages over their warm query budget: {over}"
