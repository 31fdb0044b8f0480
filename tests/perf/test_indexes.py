"""The heaviest filters and orderings are served by an index: on PostgreSQL, EXPLAIN ANALYZE of each key
query shows no sequential scan of its table and no index scan that reads far more rows than it keeps."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from tests.perf.conftest import LARGE, newcomer


def key_queries():
    """{what: (table, queryset)} for the filters the busy pages use."""
    from accounts.models import InstallationProject
    from coworking.models import Booking, Space
    from forum.models import Edition, Registration, Seat, Workshop
    from housing.models import Score, ScoringRun
    from telecentre.training.models import Enrolment, Session

    now = timezone.now()
    space = Space.objects.order_by("pk").first()
    edition = Edition.objects.current()
    return {
        "occupancy grid of a day": ("coworking_booking", Booking.objects.active().on_day(timezone.localdate())),
        "a space's bookings in a slot": (
            "coworking_booking",
            Booking.objects.filter(space=space).overlapping(now, now + datetime.timedelta(hours=4)),
        ),
        "a member's upcoming bookings": ("coworking_booking", Booking.objects.for_member(newcomer()).upcoming()),
        "seats taken in a workshop": ("forum_seat", Seat.objects.filter(workshop=Workshop.objects.first())),
        "an edition's registrations": ("forum_registration", Registration.objects.confirmed().filter(edition=edition)),
        "the ranking of a scoring run": (
            "housing_score",
            Score.objects.filter(run=ScoringRun.objects.first()).order_by("position", "pk"),
        ),
        "projects at a stage": ("accounts_installationproject", InstallationProject.objects.filter(stage="committee")),
        "a session's enrolments": (
            "training_enrolment",
            Enrolment.objects.filter(session=Session.objects.order_by("pk").first()),
        ),
    }


def scans(table, queryset):
    """The plan nodes reading `table`, from EXPLAIN (ANALYZE, FORMAT JSON) with sequential scans discouraged."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        document = cursor.fetchone()[0]
    document = document if isinstance(document, list) else json.loads(document)
    found, stack = [], [document[0]["Plan"]]
    while stack:
        node = stack.pop()
        stack.extend(node.get("Plans", []))
        if node.get("Relation Name") == table:
            found.append(node)
    return found


QUERIES = [
    "occupancy grid of a day",
    "a space's bookings in a slot",
    "a member's upcoming bookings",
    "seats taken in a workshop",
    "an edition's registrations",
    "the ranking of a scoring run",
    "projects at a stage",
    "a session's enrolments",
]


@pytest.mark.postgres
@pytest.mark.parametrize("what", QUERIES)
def test_a_key_query_is_served_by_an_index(seed_volume, what):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are checked on PostgreSQL (DATABASE_URL)")
    seed_volume(LARGE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    table, queryset = key_queries()[what]
    nodes = scans(table, queryset)
    assert nodes, f"{what}: {table} is not read at all"
    for node in nodes:
        loops = node.get("Actual Loops", 1)
        kept = node.get("Actual Rows", 0) * loops
        discarded = (node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)) * loops
        assert "Seq Scan" not in node["Node Type"], f"{what}: sequential scan of {table}"
        assert discarded <= 10 * kept + 50, f"{what}: {table} read {kept + discarded} rows to keep {kept}"
