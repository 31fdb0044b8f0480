"""What keeps the registration rush fast: the venue's running total, exact email matches, the cached form."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forum import booking
from forum.models import Registration
from tests.forum.factories import make_edition, make_registration

pytestmark = pytest.mark.django_db


def test_the_running_total_follows_registrations_walk_ins_and_cancellations():
    edition = make_edition()
    first = make_registration(edition, people=3)
    make_registration(edition, people=1)
    booking.register_walk_in(edition, {"first_name": "Paul", "last_name": "Roux", "profile": "curious"})
    edition.refresh_from_db()
    assert edition.attendee_total == 5 == edition.attendee_count()
    booking.cancel(first)
    booking.cancel(first)  # a second cancel changes nothing
    edition.refresh_from_db()
    assert edition.attendee_total == 2 == edition.attendee_count()


def test_a_total_left_too_high_is_recounted_before_anyone_is_turned_away():
    edition = make_edition(capacity=3)
    make_registration(edition, people=2)
    Registration.objects.filter(edition=edition).delete()  # removed by hand, total not updated
    edition.refresh_from_db()
    assert edition.attendee_total == 2
    make_registration(edition, people=3)
    edition.refresh_from_db()
    assert edition.attendee_total == 3 == edition.attendee_count()


def test_the_venue_stays_full_when_the_total_is_right():
    edition = make_edition(capacity=2)
    make_registration(edition, people=2)
    with pytest.raises(booking.ValidationError) as error:
        make_registration(edition, people=1)
    assert error.value.code == "venue_full"


def test_recounting_after_a_change_by_hand_puts_the_total_right():
    edition = make_edition()
    registration = make_registration(edition, people=2)
    registration.attendees.first().delete()
    booking.recount_editions([edition.pk])
    edition.refresh_from_db()
    assert edition.attendee_total == 1


def test_the_portal_finds_registrations_by_the_lower_case_address_of_the_account():
    edition = make_edition()
    registration = make_registration(edition, email="claire@example.org")
    user = get_user_model().objects.create_user("Claire@Example.org", "pw-long-enough-1")
    assert list(Registration.objects.for_person(user)) == [registration]


def test_the_cached_form_gives_each_visitor_their_own_token_and_idempotency_key(client):
    make_edition()
    keys, tokens = set(), set()
    for _ in range(2):
        client.cookies.clear()
        html = client.get(reverse("forum:index")).content.decode()
        keys.add(re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1))
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
        assert "\x00" not in html
    assert len(keys) == 2
    assert len(tokens) == 2
