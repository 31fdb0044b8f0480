import datetime
import io
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from coworking import services
from coworking.models import Booking, CalendarFeed, Space
from tests.coworking.factories import MONDAY, TUESDAY, at, make_murat_tariff, make_newcomer, make_pass, slot
from waitlist.models import WaitingListEntry

pytestmark = pytest.mark.django_db


def booking_data(space, day=TUESDAY, period="morning", **extra):
    return {
        "space": space.pk,
        "date": day.isoformat(),
        "period": period,
        "start_time": "",
        "end_time": "",
        "pass_used": "",
        "idempotency_key": uuid.uuid4().hex,
        **extra,
    }


@pytest.mark.parametrize("name", ["coworking:book", "coworking:my-bookings", "coworking:book-recurring"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_the_index_lists_spaces_and_the_tariff_with_its_decision(client, frozen, zone):
    make_murat_tariff()
    body = client.get(reverse("coworking:index")).content.decode()
    assert "Open space" in body and "Délibération n° 2024-117" in body and "10,00\xa0€" in body


def test_a_space_page_shows_hours_equipment_and_rules(client, frozen, zone):
    zone.equipment = "Fibre\nÉcran 27 pouces"
    zone.save()
    body = client.get(zone.get_absolute_url()).content.decode()
    assert "Écran 27 pouces" in body and "08:30–18:00" in body


def test_a_newcomer_books_a_desk_for_tomorrow_morning(alice_client, alice, frozen, zone):
    make_murat_tariff()
    make_newcomer(alice)
    response = alice_client.post(reverse("coworking:book"), booking_data(zone))
    assert response.status_code == 302 and response.url == reverse("coworking:my-bookings")
    booking = Booking.objects.get()
    assert (booking.member, booking.booked_by, booking.period) == (alice, alice, "morning")
    assert booking.start == slot(TUESDAY)[0]
    page = alice_client.get(response.url).content.decode()
    assert "Open space" in page and "10,00\xa0€" in page


def test_a_replayed_post_books_nothing_twice(alice_client, frozen, zone):
    data = booking_data(zone)
    alice_client.post(reverse("coworking:book"), data)
    response = alice_client.post(reverse("coworking:book"), data, follow=True)
    assert Booking.objects.count() == 1
    assert "déjà enregistrée" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "2026-03-01"}, "date", "déjà terminée"),
        ({"date": "2026-03-07"}, "date", "fermé ce jour de la semaine"),
        ({"date": "2026-04-06"}, "date", "jour férié"),
        ({"date": "2027-03-02"}, "date", "au plus 90 jours"),
        ({"period": "hours", "start_time": "10:00", "end_time": "11:00"}, "period", "demi-journée"),
        ({"date": ""}, "date", "obligatoire"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_writes_nothing(alice_client, frozen, zone, change, field, message):
    response = alice_client.post(reverse("coworking:book"), booking_data(zone, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Booking.objects.exists()
    assert response.context["form"]["date"].value() == change.get("date", TUESDAY.isoformat())


def test_reversed_and_outside_hours_times_are_refused_for_rooms(alice_client, frozen, room):
    response = alice_client.post(
        reverse("coworking:book"), booking_data(room, period="hours", start_time="11:00", end_time="10:00")
    )
    assert "après le début" in " ".join(response.context["form"].errors["end_time"])
    response = alice_client.post(
        reverse("coworking:book"), booking_data(room, period="hours", start_time="17:00", end_time="19:00")
    )
    assert "horaires d’ouverture" in " ".join(response.context["form"].errors["start_time"])
    assert not Booking.objects.exists()


def test_a_full_slot_offers_the_waiting_list(alice_client, alice, bob, frozen, zone):
    zone.capacity = 1
    zone.save()
    services.book(zone, *slot(TUESDAY), member=bob)
    response = alice_client.post(reverse("coworking:book"), booking_data(zone))
    assert "Plus de place" in " ".join(response.context["form"].errors["period"])
    join = response.context["waitlist_form"]
    response = alice_client.post(reverse("coworking:waitlist-join"), {k: join[k].value() for k in join.fields})
    entry = WaitingListEntry.objects.get(user=alice)
    assert response.url == entry.get_absolute_url()
    assert entry.slot_start == slot(TUESDAY)[0] and entry.target == zone


def test_a_member_pays_with_their_pass_and_sees_what_remains(alice_client, alice, frozen, zone):
    membership = make_pass(alice, allowance="2", label="Adhésion mars")
    alice_client.post(reverse("coworking:book"), booking_data(zone, period="day", pass_used=membership.pk))
    booking = Booking.objects.get()
    assert booking.pass_used == membership and booking.pass_units == 1
    page = alice_client.get(reverse("coworking:my-bookings")).content.decode()
    assert "Adhésion mars" in page and "1 / 2 jours" in page


def test_another_newcomer_s_booking_is_a_404(client, alice, bob, frozen, zone):
    booking = services.book(zone, *slot(TUESDAY), member=bob)
    client.force_login(alice)
    assert client.get(reverse("coworking:booking", args=[booking.pk])).status_code == 404
    assert client.get(reverse("coworking:booking-change", args=[booking.pk])).status_code == 404
    assert client.post(reverse("coworking:booking-cancel", args=[booking.pk])).status_code == 404
    series, _b, _s = services.book_series(zone, bob, "afternoon", [2], MONDAY, MONDAY + datetime.timedelta(days=7))
    assert client.post(reverse("coworking:series-cancel", args=[series.pk]), {}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancelling_needs_a_post_and_respects_the_deadline(alice_client, alice, frozen, zone):
    booking = services.book(zone, *slot(TUESDAY), member=alice)
    assert alice_client.get(reverse("coworking:booking-cancel", args=[booking.pk])).status_code == 405
    alice_client.post(reverse("coworking:booking-cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    late = services.book(zone, *slot(MONDAY), member=alice)
    response = alice_client.post(reverse("coworking:booking-cancel", args=[late.pk]), follow=True)
    assert "Trop tard" in response.content.decode()
    late.refresh_from_db()
    assert late.status == Booking.Status.CONFIRMED


def test_a_member_moves_a_booking(alice_client, alice, frozen, zone):
    booking = services.book(zone, *slot(TUESDAY), member=alice)
    response = alice_client.post(
        reverse("coworking:booking-change", args=[booking.pk]),
        {"date": TUESDAY.isoformat(), "period": "afternoon", "start_time": "", "end_time": ""},
    )
    new = Booking.objects.active().get()
    assert response.url == new.get_absolute_url() and new.period == "afternoon"


def test_a_member_books_every_week_and_cancels_a_range(alice_client, alice, frozen, zone):
    response = alice_client.post(
        reverse("coworking:book-recurring"),
        {
            "space": zone.pk,
            "period": "morning",
            "weekdays": ["1", "3"],
            "starts_on": TUESDAY.isoformat(),
            "ends_on": (TUESDAY + datetime.timedelta(days=13)).isoformat(),
            "pass_used": "",
        },
    )
    assert response.status_code == 302
    series = alice.coworking_series.get()
    assert series.occurrences.count() == 4
    alice_client.post(
        reverse("coworking:series-cancel", args=[series.pk]),
        {"first": "2026-03-09", "last": "2026-03-15"},
    )
    assert series.occurrences.active().count() == 2


def test_a_recurring_booking_with_reversed_dates_writes_nothing(alice_client, alice, frozen, zone):
    response = alice_client.post(
        reverse("coworking:book-recurring"),
        {"space": zone.pk, "period": "morning", "weekdays": ["1"], "starts_on": "2026-03-20", "ends_on": "2026-03-10"},
    )
    assert "ends_on" in response.context["form"].errors
    assert not alice.coworking_series.exists()


def test_the_qr_code_page_checks_in_only_on_post(alice_client, alice, frozen, zone):
    booking = services.book(zone, *slot(MONDAY), member=alice)
    frozen.move_to(at(MONDAY, 8, 35))
    url = reverse("coworking:check-in", args=[zone.checkin_token])
    assert "Je suis arrivé" in alice_client.get(url).content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    alice_client.post(url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert alice_client.get(reverse("coworking:check-in", args=["wrong"])).status_code == 404


def test_the_member_ical_feed_is_private_and_lists_my_bookings(client, alice_client, alice, bob, frozen, zone):
    services.book(zone, *slot(TUESDAY), member=alice)
    services.book(zone, *slot(TUESDAY, "afternoon"), member=bob)
    alice_client.post(reverse("coworking:feed-reset"))
    feed = CalendarFeed.objects.get(member=alice)
    body = client.get(feed.get_absolute_url()).content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "Open space" in body
    assert "DTSTART:20260303T073000Z" in body
    old = feed.get_absolute_url()
    alice_client.post(reverse("coworking:feed-reset"))
    assert client.get(old).status_code == 404
    assert client.get(reverse("coworking:member-feed", args=["nope"])).status_code == 404


def test_the_space_ical_feed_shows_no_names(client, alice, frozen, zone):
    services.book(zone, *slot(TUESDAY), member=alice)
    body = client.get(reverse("coworking:space-feed", args=[zone.slug])).content.decode()
    assert "BEGIN:VEVENT" in body and "Alice" not in body


def test_the_reminder_goes_once_the_day_before(
    alice, bob, frozen, zone, mailoutbox, django_capture_on_commit_callbacks
):
    services.book(zone, *slot(TUESDAY), member=alice)
    services.book(zone, *slot(TUESDAY + datetime.timedelta(days=1)), member=bob)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_booking_reminders", stdout=io.StringIO())
        call_command("send_booking_reminders", stdout=io.StringIO())
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert "Demain au télécentre" in mailoutbox[0].subject
    assert mailoutbox[0].attachments[0][0] == "reservation.ics"


def test_the_portal_card_shows_my_next_bookings_and_passes(alice_client, alice, bob, frozen, zone):
    services.book(zone, *slot(TUESDAY), member=alice)
    services.book(zone, *slot(TUESDAY), member=bob, guest_name="")
    make_pass(alice, label="Carnet 10 jours", allowance="10")
    body = alice_client.get(reverse("portal")).content.decode()
    assert "Mon coworking" in body and "Carnet 10 jours" in body and "mardi 3 mars 2026" in body.lower()


def test_portal_and_my_bookings_queries_do_not_grow_with_bookings(alice_client, alice, frozen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coworking.calendar import public_holiday
    from coworking.models import OpeningHours

    spaces = [
        Space.objects.create(name=f"Zone {n}", slug=f"zone-{n}", kind="open_space", capacity=50) for n in range(3)
    ]
    for space in spaces:
        for weekday in range(5):
            OpeningHours.objects.create(space=space, weekday=weekday, opens="08:30", closes="18:00")
    make_pass(alice)

    def counts():
        found = []
        for url in (reverse("portal"), reverse("coworking:my-bookings")):
            cache.clear()  # the portal's cards are cached: count what rendering them costs
            with CaptureQueriesContext(connection) as queries:
                assert alice_client.get(url).status_code == 200
            found.append(len(queries))
        return found

    services.book(spaces[0], *slot(TUESDAY), member=alice)
    services.book_series(spaces[1], alice, "afternoon", [0], MONDAY, MONDAY + datetime.timedelta(days=7))
    few = counts()
    for n in range(1, 40):
        day = TUESDAY + datetime.timedelta(days=n)
        if day.weekday() < 5 and not public_holiday(day):
            services.book(spaces[n % 3], *slot(day), member=alice)
    services.book_series(spaces[2], alice, "afternoon", [0, 2], MONDAY, MONDAY + datetime.timedelta(days=30))
    make_pass(alice, label="Deuxième")
    assert Booking.objects.count() > 35
    many = counts()
    assert many == few, (few, many)
    assert many[1] <= 12  # my bookings: a fixed handful of queries


def test_deleting_an_account_keeps_its_bookings_anonymously(alice, frozen, zone):
    booking = services.book(zone, *slot(TUESDAY), member=alice, pass_used=make_pass(alice))
    alice.delete()
    booking.refresh_from_db()
    assert booking.member is None and booking.pass_used is None
