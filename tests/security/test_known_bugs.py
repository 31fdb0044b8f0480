"""Secure behaviour the permission table cannot express: regressions for bugs the suite found."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking import calendar
from coworking.models import Space
from tests.coworking.factories import make_space
from waitlist.models import WaitingListEntry

pytestmark = pytest.mark.django_db


def test_a_newcomer_cannot_queue_for_a_staff_only_space(alice_client):
    space = make_space(name="Bureau de l'équipe", slug="bureau", audience=Space.Audience.STAFF, weekdays=range(7))
    start, end = calendar.half_day_bounds(timezone.localdate() + datetime.timedelta(days=3), "morning")
    alice_client.post(
        reverse("coworking:waitlist-join"), {"space": space.pk, "start": start.isoformat(), "end": end.isoformat()}
    )
    assert not WaitingListEntry.objects.exists()


def test_a_login_name_longer_than_any_email_is_refused_not_a_500(client):
    """Found by the fuzzer on PostgreSQL: axes records the failed attempt with the typed name, and
    AccessAttempt.username is varchar(255): DataError, a 500. The name is now cut to 254 characters
    (the longest email address) in username_from_request."""
    response = client.post(reverse("accounts:login"), {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
