"""The private link (secret token): see, change workshops, cancel, calendar, certificates — without an account."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from forum.models import Registration, Seat
from tests.forum.factories import make_registration, make_workshop
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry


@pytest.mark.django_db
def test_the_private_link_shows_the_tickets_and_workshops(client, edition):
    workshop = make_workshop(edition, title="Coworking rural")
    registration = make_registration(edition, people=2, workshops=[workshop])

    response = client.get(registration.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Coworking rural" in body
    for attendee in registration.attendees.all():
        assert attendee.code in body
    assert 'src="data:image/svg+xml' in body


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "workshops/", "cancel/", "calendar.ics", "certificate/1/"])
def test_another_or_a_guessed_token_is_a_404(client, edition, suffix):
    mine = make_registration(edition)
    make_registration(edition)
    guessed = mine.token[:-2] + ("AA" if not mine.token.endswith("AA") else "BB")

    for token in (guessed, "x" * 43, "../" + mine.token):
        url = f"/forum/r/{token}/{suffix}"
        response = client.post(url) if suffix in ("workshops/", "cancel/") else client.get(url)
        assert response.status_code == 404

    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_changing_workshops_moves_the_seats_and_releases_the_old_ones(
    client, edition, django_capture_on_commit_callbacks
):
    old = make_workshop(edition, title="Ancien", capacity=1, start=(10, 0), end=(11, 0))
    new = make_workshop(edition, title="Nouveau", start=(14, 0), end=(15, 0))
    registration = make_registration(edition, workshops=[old])
    waiting = make_registration(edition, workshops=[old], email="attente@example.org")
    entry = WaitingListEntry.objects.get(email="attente@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum:change-workshops", args=[registration.token]), {"workshops": [new.pk]})

    assert response.status_code == 302
    assert list(registration.workshops()) == [new]
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.OFFERED
    assert Seat.objects.filter(workshop=old).count() == 0  # held by the offer until accepted
    waitlist.accept_offer(entry)
    assert list(waiting.workshops()) == [old]


@pytest.mark.django_db
def test_changing_to_overlapping_workshops_is_refused_and_nothing_changes(client, edition):
    kept = make_workshop(edition, title="Gardé", start=(14, 0), end=(15, 0))
    first = make_workshop(edition, title="A", start=(10, 0), end=(11, 0))
    second = make_workshop(edition, title="B", start=(10, 30), end=(11, 30))
    registration = make_registration(edition, workshops=[kept])

    response = client.post(
        reverse("forum:change-workshops", args=[registration.token]), {"workshops": [first.pk, second.pk]}
    )

    assert response.status_code == 400
    assert "ont lieu en même temps" in response.content.decode()
    assert list(registration.workshops()) == [kept]


@pytest.mark.django_db
def test_changing_to_a_full_workshop_is_refused_unless_the_waiting_list_is_asked(client, edition):
    full = make_workshop(edition, title="Complet", capacity=1)
    make_registration(edition, workshops=[full])
    registration = make_registration(edition)
    url = reverse("forum:change-workshops", args=[registration.token])

    refused = client.post(url, {"workshops": [full.pk]})
    assert refused.status_code == 400
    assert "0 place restante" in refused.content.decode()
    assert not WaitingListEntry.objects.exists()

    accepted = client.post(url, {"workshops": [full.pk], "waitlist_if_full": "on"})
    assert accepted.status_code == 302
    assert WaitingListEntry.objects.get().payload == {"registration": registration.pk}
    assert Seat.objects.filter(workshop=full).count() == 1


@pytest.mark.django_db
def test_cancelling_frees_the_seats_and_offers_them_to_the_waiting_list(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_workshop(edition, capacity=2)
    registration = make_registration(edition, people=2, workshops=[workshop])
    make_registration(edition, people=2, workshops=[workshop], email="famille@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum:cancel", args=[registration.token]))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.seats.count() == 0
    entry = WaitingListEntry.objects.get()
    assert entry.status == WaitingListEntry.Status.OFFERED and entry.quantity == 2
    assert mailoutbox[-1].to == ["famille@example.org"]
    assert entry.get_absolute_url() in mailoutbox[-1].body


@pytest.mark.django_db
def test_cancelling_withdraws_the_group_from_waiting_lists(client, edition):
    full = make_workshop(edition, capacity=1)
    make_registration(edition, workshops=[full])
    registration = make_registration(edition, workshops=[full])

    client.post(reverse("forum:cancel", args=[registration.token]))

    assert WaitingListEntry.objects.get().status == WaitingListEntry.Status.WITHDRAWN


@pytest.mark.django_db
def test_an_expired_link_after_the_forum_changes_nothing(client, edition):
    workshop = make_workshop(edition)
    registration = make_registration(edition, workshops=[workshop])

    with time_machine.travel(edition.end_date + datetime.timedelta(days=2)):
        page = client.get(registration.get_absolute_url())
        cancel = client.post(reverse("forum:cancel", args=[registration.token]), follow=True)
        change = client.post(
            reverse("forum:change-workshops", args=[registration.token]), {"workshops": []}, follow=True
        )

    assert page.status_code == 200
    assert "Le forum est terminé" in page.content.decode()
    assert "Ce lien a expiré" in cancel.content.decode()
    assert "Ce lien a expiré" in change.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert list(registration.workshops()) == [workshop]


@pytest.mark.django_db
def test_an_anonymised_registration_s_link_is_a_404(client, edition):
    registration = make_registration(edition)
    registration.anonymised_at = registration.created_at
    registration.save()
    assert client.get(registration.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_calendar_file_lists_the_forum_and_the_workshops(client, edition):
    workshop = make_workshop(edition, title="Atelier visio")
    registration = make_registration(edition, workshops=[workshop])
    response = client.get(reverse("forum:calendar", args=[registration.token]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 2 and "Atelier visio" in body


@pytest.mark.django_db
def test_a_certificate_is_given_only_for_a_workshop_attended(client, edition):
    workshop = make_workshop(edition, title="Atelier attesté")
    registration = make_registration(edition, workshops=[workshop])
    url = reverse("forum:certificate", args=[registration.token, workshop.pk])

    assert client.get(url).status_code == 404
    Seat.objects.filter(registration=registration).update(checked_in_at=edition.registration_closes_at)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert url in client.get(registration.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_someone_who_lost_the_link_gets_it_again_by_email(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    registration = make_registration(edition, email="perdu@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("forum:resend-link"), {"email": "Perdu@example.org"}, follow=True)
        unknown = client.post(reverse("forum:resend-link"), {"email": "inconnu@example.org"}, follow=True)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["perdu@example.org"]
    assert registration.get_absolute_url() in mailoutbox[0].body
    # The same answer either way: no way to learn who registered.
    assert known.content.decode().count("Si cette adresse est inscrite") == 1
    assert unknown.content.decode().count("Si cette adresse est inscrite") == 1


@pytest.mark.django_db
def test_an_offer_accepted_after_the_group_took_an_overlapping_workshop_is_refused(
    edition, django_capture_on_commit_callbacks
):
    full = make_workshop(edition, capacity=1, start=(14, 0), end=(15, 0))
    other = make_workshop(edition, start=(14, 30), end=(15, 30))
    holder = make_registration(edition, workshops=[full])
    registration = make_registration(edition, workshops=[full])
    from forum import booking

    booking.change_workshops(registration, [full.pk, other.pk][1:], waitlist_if_full=True)
    entry = WaitingListEntry.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        booking.cancel(holder)
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.OFFERED

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        waitlist.accept_offer(entry)
    assert error.value.code == "overlap"
    assert list(registration.workshops()) == [other]
