"""What keeps the registration rush fast: the venue's running total, exact email matches, the cached form, the
recount in SQL under the workshop locks, the cached commune matches."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from forum import booking
from forum.models import Registration, Seat, Workshop
from tests.factories import make_commune
from tests.forum.factories import make_edition, make_registration, make_workshop
from waitlist.models import WaitingListEntry

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


def busy_workshop(edition):
    """A workshop of 10 seats with 3 taken, 2 held by a live offer and 5 by an offer expired: 5 free."""
    busy = make_workshop(edition, capacity=10, start=(9, 0), end=(10, 0))
    make_registration(edition, people=3, workshops=[busy])
    live = WaitingListEntry.objects.create(target=busy, email="a@example.org", quantity=2)
    expired = WaitingListEntry.objects.create(target=busy, email="b@example.org", quantity=5)
    now = timezone.now()
    WaitingListEntry.objects.filter(pk=live.pk).update(status="offered", offer_expires_at=now + timedelta(hours=1))
    WaitingListEntry.objects.filter(pk=expired.pk).update(status="offered", offer_expires_at=now - timedelta(hours=1))
    return busy


def test_the_recount_under_lock_counts_seats_and_live_offers_as_the_page_does():
    edition = make_edition()
    busy = busy_workshop(edition)
    empty = make_workshop(edition, capacity=4, start=(11, 0), end=(12, 0))

    with transaction.atomic():
        found = booking.free_seats_of(booking.lock_workshops(edition, [busy.pk, empty.pk]))

    assert found == {busy.pk: 10 - 3 - 2, empty.pk: 4}
    annotated = dict(Workshop.objects.filter(edition=edition).with_remaining().values_list("pk", "remaining"))
    assert annotated == found


def test_seats_are_taken_only_where_the_recount_leaves_room_for_the_whole_group():
    edition = make_edition()
    busy = busy_workshop(edition)
    small = make_workshop(edition, capacity=4, start=(11, 0), end=(12, 0))
    five, one = make_registration(edition, people=5), make_registration(edition, people=1)

    with transaction.atomic():
        # busy: 10 - 3 seated - 2 held = 5 free, room for the group of five; small: 4, not enough.
        locked = booking.lock_workshops(edition, [busy.pk, small.pk])
        assert booking.seat_where_free(five, list(five.attendees.all()), locked) == {busy.pk}
    with transaction.atomic():
        locked = booking.lock_workshops(edition, [busy.pk, small.pk])
        assert booking.seat_where_free(one, list(one.attendees.all()), locked) == {small.pk}

    assert sorted(Seat.objects.filter(registration=five).values_list("workshop_id", flat=True)) == [busy.pk] * 5
    assert list(Seat.objects.filter(registration=one).values_list("workshop_id", "attendee__registration")) == [
        (small.pk, one.pk)
    ]
    assert Seat.objects.filter(registration=five).values("attendee").distinct().count() == 5


def test_the_workshops_are_locked_for_four_statements_before_the_commit():
    """Registrations for a workshop queue on its row: while it is locked, one statement recounts, one seats
    the group, and the edition is locked and its venue total raised, then the commit; the rest is done before
    the lock."""
    edition = make_edition()
    workshop = make_workshop(edition, capacity=10)
    ContentType.objects.get_for_model(Workshop)  # read once per process, as in a running worker
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        registration = make_registration(edition, people=2, workshops=[workshop])

    def kind(sql):
        """("SELECT", "forum_workshop"): the statement's verb and the first table it names."""
        return re.match(r'(SELECT|INSERT INTO|UPDATE) "(\w+)"', sql).groups()

    # The lock: the first statement that reads the workshops, FOR UPDATE on PostgreSQL.
    locked = next(n for n, sql in enumerate(statements) if sql.startswith('SELECT "forum_workshop"'))
    # (The test runs in a transaction: the registration's is a savepoint, released where a commit would be.)
    after = [kind(sql) for sql in statements[locked + 1 :] if "SAVEPOINT" not in sql]
    assert after == [
        ("SELECT", "forum_workshop"),  # the recount
        ("INSERT INTO", "forum_seat"),
        ("SELECT", "forum_edition"),  # its lock, FOR NO KEY UPDATE on PostgreSQL
        ("UPDATE", "forum_edition"),  # the venue's total
    ]
    assert Seat.objects.filter(registration=registration, workshop=workshop).count() == 2


def test_a_commune_created_later_is_matched_at_once():
    edition = make_edition()
    before = make_registration(edition, origin="Murat")
    murat = make_commune()
    after = make_registration(edition, origin="Murat")
    assert (before.origin_commune, after.origin_commune) == (None, murat)
