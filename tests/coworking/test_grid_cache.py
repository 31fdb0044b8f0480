"""The staff grid is cached under the versions of what it shows (core/versions.py): every way a booking or a
space changes renews them where it writes, so the next request shows the change."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coworking import services
from coworking.models import Closure
from tests.coworking.factories import MONDAY, slot

pytestmark = pytest.mark.django_db


def grid(client):
    return client.get(reverse("coworking:grid"), {"date": MONDAY.isoformat()}).content.decode()


@pytest.fixture
def manager_client(client, coworking_manager):
    client.force_login(coworking_manager)
    return client


def test_the_grid_shows_a_released_no_show_at_once(manager_client, frozen, zone, alice):
    booking = services.book(zone, *slot(MONDAY), member=alice)
    frozen.move_to(booking.start + datetime.timedelta(minutes=zone.check_in_grace_minutes))
    assert "cw-released" not in grid(manager_client)

    assert services.release_no_shows() == 1  # in the same minute: no time-to-live runs out meanwhile

    assert "cw-released" in grid(manager_client)


def test_the_grid_is_served_from_the_cache_while_nothing_changes(manager_client, frozen, zone, alice):
    services.book(zone, *slot(MONDAY), member=alice)
    grid(manager_client)
    with CaptureQueriesContext(connection) as queries:
        assert "Alice Martin" in grid(manager_client)
    assert not [q for q in queries if "coworking_booking" in q["sql"]]


def test_the_grid_shows_a_check_in_a_cancellation_and_a_closure_at_once(manager_client, frozen, zone, alice, bob):
    alices = services.book(zone, *slot(MONDAY), member=alice)
    bobs = services.book(zone, *slot(MONDAY), member=bob)
    assert "Bob Durand" in grid(manager_client)
    assert "text-bg-success" not in grid(manager_client)

    alices.check_in(alices.start)
    assert "text-bg-success" in grid(manager_client)  # "here"

    services.cancel(bobs, staff=True)
    assert "Bob Durand" not in grid(manager_client)

    assert "cw-closed" not in grid(manager_client)
    Closure.objects.create(space=None, start_date=MONDAY, end_date=MONDAY, reason="Inventaire")
    assert "cw-closed" in grid(manager_client)
