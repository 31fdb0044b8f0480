import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from waitlist import services
from waitlist.models import WaitingListEntry

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)
MORNING = (datetime(2026, 3, 4, 8, 30, tzinfo=PARIS), datetime(2026, 3, 4, 12, 30, tzinfo=PARIS))
AFTERNOON = (datetime(2026, 3, 4, 13, 30, tzinfo=PARIS), datetime(2026, 3, 4, 17, 30, tzinfo=PARIS))
Status = WaitingListEntry.Status


def fill(target, handler, quantity=None):
    """Take every place (as accepted entries)."""
    for _ in range(quantity or handler.capacity):
        entry = services.join(target, email=f"taken{WaitingListEntry.objects.count()}@example.org")
        WaitingListEntry.objects.filter(pk=entry.pk).update(status=Status.ACCEPTED)


@pytest.mark.django_db
def test_joining_twice_for_the_same_target_is_refused_with_a_clear_message(handler, target, alice):
    services.join(target, user=alice)
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.join(target, user=alice)
    services.join(target, email="ALICE@example.org")  # an email entry is another identity...
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.join(target, email="alice@example.org")  # ...but only once
    assert WaitingListEntry.objects.count() == 2


@pytest.mark.django_db
def test_the_same_person_may_wait_for_two_different_slots(handler, target, alice):
    services.join(target, user=alice, slot_start=MORNING[0], slot_end=MORNING[1])
    services.join(target, user=alice, slot_start=AFTERNOON[0], slot_end=AFTERNOON[1])
    with pytest.raises(ValidationError):
        services.join(target, user=alice, slot_start=MORNING[0], slot_end=MORNING[1])
    assert WaitingListEntry.objects.filter(user=alice).count() == 2


@pytest.mark.django_db
def test_the_database_also_refuses_a_duplicate_active_entry(handler, target, alice):
    from django.db import IntegrityError, transaction

    services.join(target, user=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitingListEntry.objects.create(target=target, user=alice)


@pytest.mark.django_db
def test_someone_who_left_may_join_again(handler, target, alice):
    entry = services.join(target, user=alice)
    services.withdraw(entry)
    again = services.join(target, user=alice)
    assert again.status == Status.WAITING


@pytest.mark.django_db
def test_join_needs_an_account_or_an_email_and_one_place_at_least(handler, target):
    with pytest.raises(ValidationError):
        services.join(target)
    with pytest.raises(ValidationError):
        services.join(target, email="x@example.org", quantity=0)
    assert not WaitingListEntry.objects.exists()


@pytest.mark.django_db
def test_position_follows_arrival_order_per_slot(handler, target, alice, bob):
    with time_machine.travel(NOW, tick=False):
        first = services.join(target, user=alice, slot_start=MORNING[0], slot_end=MORNING[1])
        second = services.join(target, user=bob, slot_start=MORNING[0], slot_end=MORNING[1])  # same instant
        other_slot = services.join(target, user=bob, slot_start=AFTERNOON[0], slot_end=AFTERNOON[1])
    assert [services.position(e) for e in (first, second, other_slot)] == [1, 2, 1]
    services.withdraw(first)
    second.refresh_from_db()
    assert services.position(second) == 1


@pytest.mark.django_db
def test_a_freed_place_is_offered_to_the_first_in_line_and_held(
    handler, target, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    fill(target, handler)
    first = services.join(target, user=alice)
    second = services.join(target, user=bob)
    WaitingListEntry.objects.filter(status=Status.ACCEPTED).update(status=Status.WITHDRAWN)  # a place frees up

    with django_capture_on_commit_callbacks(execute=True):
        served = services.release(target)

    assert served == [first]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.OFFERED and first.offer_expires_at == first.offered_at + timedelta(hours=24)
    assert second.status == Status.WAITING
    assert services.held_quantity(target) == 1
    assert handler.seats_available(target, None, None) == 0  # held by the live offer
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [alice.email]
    assert first.get_absolute_url() in mailoutbox[0].body
    # Releasing again hands out nothing more: the place is held.
    assert services.release(target) == []


@pytest.mark.django_db
def test_a_bigger_request_that_does_not_fit_lets_a_smaller_one_through(handler, target, alice, bob):
    handler.capacity = 2
    fill(target, handler, 1)
    big = services.join(target, user=alice, quantity=2)
    small = services.join(target, user=bob, quantity=1)
    assert services.release(target) == [small]
    big.refresh_from_db()
    assert big.status == Status.WAITING


@pytest.mark.django_db
def test_accepting_a_live_offer_books_it_through_the_handler(handler, target, alice):
    entry = services.join(target, user=alice)
    services.release(target)
    entry = services.accept_offer(entry)
    assert entry.status == Status.ACCEPTED and entry.resolved_at
    assert handler.accepted == [entry.pk]


@pytest.mark.django_db
def test_an_expired_offer_cannot_be_accepted_and_goes_to_the_next_person(
    handler, target, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    first = services.join(target, user=alice)
    second = services.join(target, user=bob)
    with time_machine.travel(NOW, tick=False):
        services.release(target)
    later = NOW + timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        with pytest.raises(ValidationError, match="expiré"):
            services.accept_offer(first)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("expire_waitlist_offers", stdout=io.StringIO())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.EXPIRED
    assert second.status == Status.OFFERED
    assert [m.to for m in mailoutbox] == [[bob.email]]
    assert handler.accepted == []


@pytest.mark.django_db
def test_withdrawing_a_held_offer_passes_it_on(handler, target, alice, bob):
    first = services.join(target, user=alice)
    second = services.join(target, user=bob)
    services.release(target)
    services.withdraw(first)
    second.refresh_from_db()
    assert second.status == Status.OFFERED


@pytest.mark.django_db
def test_promote_mode_books_directly_in_arrival_order(
    handler, target, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    handler.mode = "promote"
    handler.capacity = 1
    first = services.join(target, user=alice)
    second = services.join(target, user=bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.release(target)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.ACCEPTED and second.status == Status.WAITING
    assert handler.promoted == [first.pk]
    assert [m.to for m in mailoutbox] == [[alice.email]]


@pytest.mark.django_db
def test_a_person_the_handler_cannot_promote_keeps_their_turn(handler, target, alice, bob):
    handler.mode = "promote"
    first = services.join(target, user=alice)
    second = services.join(target, user=bob)
    handler.refuse.add(first.pk)
    services.release(target)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.WAITING and second.status == Status.ACCEPTED


@pytest.mark.django_db
def test_slot_release_only_considers_entries_of_overlapping_slots(handler, target, alice, bob):
    morning = services.join(target, user=alice, slot_start=MORNING[0], slot_end=MORNING[1])
    afternoon = services.join(target, user=bob, slot_start=AFTERNOON[0], slot_end=AFTERNOON[1])
    assert services.release(target, *MORNING) == [morning]
    afternoon.refresh_from_db()
    assert afternoon.status == Status.WAITING


# Pages ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_entry_page_shows_the_position_without_an_account(client, handler, target):
    services.join(target, email="first@example.org")
    entry = services.join(target, email="guest@example.org", name="Invité")
    body = client.get(reverse("waitlist:entry", args=[entry.token])).content.decode()
    assert "numéro 2" in body
    assert "Quitter la liste d’attente" in body or "Quitter la liste d'attente" in body


@pytest.mark.django_db
def test_an_unknown_token_is_a_404(client, handler, target):
    assert client.get(reverse("waitlist:entry", args=["nope"])).status_code == 404
    assert client.post(reverse("waitlist:accept", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_accept_and_withdraw_need_a_post(client, handler, target):
    entry = services.join(target, email="guest@example.org")
    assert client.get(reverse("waitlist:accept", args=[entry.token])).status_code == 405
    assert client.get(reverse("waitlist:withdraw", args=[entry.token])).status_code == 405
    entry.refresh_from_db()
    assert entry.status == Status.WAITING


@pytest.mark.django_db
def test_the_person_accepts_the_offer_from_the_page(client, handler, target):
    entry = services.join(target, email="guest@example.org")
    services.release(target)
    page = client.get(reverse("waitlist:entry", args=[entry.token])).content.decode()
    assert "Accepter la place" in page
    response = client.post(reverse("waitlist:accept", args=[entry.token]), follow=True)
    entry.refresh_from_db()
    assert entry.status == Status.ACCEPTED
    assert handler.accepted == [entry.pk]
    assert "la place est à vous" in response.content.decode()


@pytest.mark.django_db
def test_accepting_twice_does_not_book_twice(client, handler, target):
    entry = services.join(target, email="guest@example.org")
    services.release(target)
    client.post(reverse("waitlist:accept", args=[entry.token]))
    response = client.post(reverse("waitlist:accept", args=[entry.token]), follow=True)
    assert handler.accepted == [entry.pk]
    assert "Cette offre a expiré" in response.content.decode()


@pytest.mark.django_db
def test_the_person_leaves_the_list_from_the_page(client, handler, target):
    entry = services.join(target, email="guest@example.org")
    client.post(reverse("waitlist:withdraw", args=[entry.token]))
    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN
