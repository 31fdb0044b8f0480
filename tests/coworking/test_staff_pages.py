import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from coworking import services
from coworking.forms import SpaceAdminForm
from coworking.models import Booking, Space
from coworking.sections import staff_links
from organisation.models import Organisation
from tests.coworking.factories import MONDAY, TUESDAY, at, make_murat_tariff, make_newcomer, make_pass, make_space, slot
from tests.factories import make_user

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "coworking:grid",
    "coworking:staff-book",
    "coworking:qr-codes",
    "coworking:statistics",
    "coworking:invoicing",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_newcomers_cannot_open_staff_screens(alice_client, name):
    assert alice_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_the_coworking_manager_opens_every_staff_screen(client, coworking_manager, frozen, zone, name):
    client.force_login(coworking_manager)
    assert client.get(reverse(name)).status_code == 200


def test_the_director_sees_grid_and_statistics_but_cannot_book(client, director, frozen, zone):
    client.force_login(director)
    assert client.get(reverse("coworking:grid")).status_code == 200
    assert client.get(reverse("coworking:statistics")).status_code == 200
    assert client.get(reverse("coworking:staff-book")).status_code == 403


def test_staff_links_follow_permissions(alice, coworking_manager, director):
    assert staff_links(alice) == []
    assert len(staff_links(coworking_manager)) == 5
    assert {label for label, _url in staff_links(director)} >= {"Coworking : statistiques d’utilisation"}


def test_staff_book_on_behalf_of_a_member(client, coworking_manager, alice, frozen, zone):
    client.force_login(coworking_manager)
    response = client.post(
        reverse("coworking:staff-book"),
        {
            "space": zone.pk,
            "member_email": "ALICE@example.org",
            "guest_name": "",
            "date": TUESDAY.isoformat(),
            "period": "day",
            "seats": 1,
            "idempotency_key": "staff-1",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.member == alice and booking.booked_by == coworking_manager


def test_a_walk_in_visitor_is_booked_and_checked_in_at_the_public_price(client, coworking_manager, frozen, zone):
    make_murat_tariff()
    frozen.move_to(at(MONDAY, 10))
    client.force_login(coworking_manager)
    client.post(
        reverse("coworking:staff-book"),
        {
            "space": zone.pk,
            "member_email": "",
            "guest_name": "Jeanne Visiteuse",
            "date": MONDAY.isoformat(),
            "period": "morning",
            "seats": 2,
            "walk_in": "on",
            "idempotency_key": "walk-in-1",
        },
    )
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CHECKED_IN and booking.seats == 2
    assert booking.price == 30  # 2 seats at the public half-day price
    grid = client.get(reverse("coworking:grid")).content.decode()
    assert "Jeanne Visiteuse" in grid and "2/2" in grid


def test_staff_booking_for_an_unknown_email_says_so(client, coworking_manager, frozen, zone):
    client.force_login(coworking_manager)
    response = client.post(
        reverse("coworking:staff-book"),
        {
            "space": zone.pk,
            "member_email": "nobody@example.org",
            "date": TUESDAY.isoformat(),
            "period": "morning",
            "seats": 1,
            "idempotency_key": "x",
        },
    )
    assert "Aucun compte" in " ".join(response.context["form"].errors["member_email"])
    assert not Booking.objects.exists()


def test_staff_check_in_and_cancel_from_the_grid(client, coworking_manager, alice, frozen, zone):
    client.force_login(coworking_manager)
    first = services.book(zone, *slot(MONDAY), member=alice)
    second = services.book(zone, *slot(TUESDAY), member=alice)
    client.post(reverse("coworking:staff-check-in", args=[first.pk]))
    client.post(reverse("coworking:staff-cancel", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Booking.Status.CHECKED_IN and second.status == Booking.Status.CANCELLED


def test_the_grid_query_count_does_not_grow_with_bookings(
    client, coworking_manager, frozen, django_assert_max_num_queries
):
    spaces = [make_space(capacity=40) for _ in range(4)]
    people = [make_user() for _ in range(12)]
    for space in spaces:
        for person in people:
            services.book(space, *slot(MONDAY), member=person)
            services.book(space, *slot(TUESDAY, "afternoon"), member=person)
    client.force_login(coworking_manager)
    # Rendered afresh (each is the first request for its query string): session, user, whether they have an
    # authenticator app, permissions, the versions of the cache key, the count and the page of spaces, their
    # opening hours, the closures and the bookings.
    Organisation.current()  # the body's record, cached for five minutes, is not this page's cost
    with django_assert_max_num_queries(11):
        day = client.get(reverse("coworking:grid"), {"date": MONDAY.isoformat()})
    with django_assert_max_num_queries(10):
        week = client.get(reverse("coworking:grid"), {"date": MONDAY.isoformat(), "view": "week"})
    assert day.content.decode().count("cw-booking") == 48
    assert week.content.decode().count("cw-booking") == 96


def test_statistics_give_occupancy_and_no_shows_per_month(client, coworking_manager, alice, bob, frozen):
    zone = make_space(capacity=2, name="Plateau")
    services.book(zone, *slot(MONDAY, "day"), member=alice)
    services.book(zone, *slot(MONDAY), member=bob)
    frozen.move_to(at(MONDAY, 12))
    services.release_no_shows()
    client.force_login(coworking_manager)
    table = client.get(reverse("coworking:statistics"), {"year": 2026}).context["table"]
    march = dict(table)[zone][2]
    assert march["no_shows"] == 2 and march["bookings"] == 0
    Booking.objects.update(status=Booking.Status.CHECKED_IN)
    march = dict(client.get(reverse("coworking:statistics"), {"year": 2026}).context["table"])[zone][2]
    # 13 seat-hours booked out of 22 open days x 9.5 h x 2 seats.
    assert march["bookings"] == 2 and march["rate"] == round(13 / (22 * 9.5 * 2) * 100, 1)


def test_to_invoice_lines_per_member_and_month_as_csv(client, coworking_manager, alice, bob, frozen, zone):
    make_murat_tariff()
    make_newcomer(alice)
    services.book(zone, *slot(MONDAY), member=alice)
    services.book(zone, *slot(TUESDAY, "day"), member=alice)
    services.book(zone, *slot(TUESDAY), member=bob, pass_used=make_pass(bob))
    make_pass(alice, label="Mois de mars", price=100)
    services.book(zone, *slot(MONDAY + datetime.timedelta(days=31)), member=alice)  # April
    client.force_login(coworking_manager)
    response = client.get(reverse("coworking:invoicing"), {"month": "2026-03", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Mois;Nom;")
    assert len(lines) == 4  # header + 2 bookings + the pass sold, Bob's pass booking is not invoiced
    assert "Alice Martin;alice@example.org;02/03/2026" in text and "10,00" in text and "20,00" in text
    assert "Délibération n° 2024-117" in text and "100,00" in text


def test_the_qr_codes_page_shows_one_inline_svg_per_space(client, coworking_manager, frozen, zone, room):
    client.force_login(coworking_manager)
    body = client.get(reverse("coworking:qr-codes")).content.decode()
    assert body.count("<svg") == 2
    svg = client.get(reverse("coworking:qr-code", args=[zone.slug]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def image_upload(fmt="PNG", size=(800, 600), name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", size, "steelblue").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def space_form_data(**extra):
    data = {
        "name": "Bureau 1",
        "slug": "bureau-1",
        "kind": Space.Kind.PRIVATE_OFFICE,
        "capacity": 2,
        "audience": "public",
        "max_days_ahead": 90,
        "min_notice_minutes": 0,
        "min_minutes": 60,
        "max_minutes": 540,
        "slot_minutes": 30,
        "buffer_minutes": 0,
        "max_upcoming_per_person": 20,
        "cancellation_notice_hours": 2,
        "check_in_grace_minutes": 30,
        "position": 0,
        "is_active": "on",
        "step_free_access": "on",
    }
    data.update(extra)
    return data


def test_space_photos_are_validated_and_thumbnailed(db):
    form = SpaceAdminForm(space_form_data(), {"photo": image_upload()})
    assert form.is_valid(), form.errors
    photo, thumbnail = form.cleaned_photo
    assert photo.name.endswith(".webp")
    with Image.open(thumbnail) as thumb:
        assert thumb.size == (427, 320) and not thumb.info.get("exif")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SpaceAdminForm(space_form_data(), {"photo": SimpleUploadedFile("x.png", b"not an image")})
    assert not fake.is_valid() and "photo" in fake.errors
    gif = SpaceAdminForm(space_form_data(), {"photo": image_upload("GIF", name="x.gif")})
    assert not gif.is_valid()


def test_the_grid_shows_spaces_by_pages_of_twenty_and_filters_them_by_kind(client, coworking_manager, frozen):
    from coworking.staff import GRID_SPACES_PER_PAGE

    zones = [make_space(name=f"Zone {n:02d}", position=n) for n in range(GRID_SPACES_PER_PAGE + 2)]
    room = make_space(Space.Kind.MEETING_ROOM, name="Salle Cantal", position=99)
    client.force_login(coworking_manager)

    first = client.get(reverse("coworking:grid"), {"date": MONDAY.isoformat()}).content.decode()
    assert zones[0].name in first and zones[GRID_SPACES_PER_PAGE - 1].name in first
    assert zones[GRID_SPACES_PER_PAGE].name not in first and room.name not in first
    assert f'href="?date={MONDAY.isoformat()}&amp;page=2"' in first
    assert f"{GRID_SPACES_PER_PAGE + 3}." in first and 'href="?date=2026-03-02&amp;page=1"' in first

    second = client.get(reverse("coworking:grid"), {"date": MONDAY.isoformat(), "page": 2}).content.decode()
    assert zones[GRID_SPACES_PER_PAGE].name in second and room.name in second and zones[0].name not in second
    assert 'aria-current="page"' in second

    rooms = client.get(reverse("coworking:grid"), {"view": "week", "kind": Space.Kind.MEETING_ROOM}).content.decode()
    assert room.name in rooms and zones[0].name not in rooms
    assert '<option value="meeting" selected>' in rooms and 'href="?view=week&amp;kind=meeting&amp;date=' in rooms


def test_an_unknown_kind_or_page_shows_the_first_page_of_every_kind(client, coworking_manager, frozen, zone, room):
    client.force_login(coworking_manager)
    response = client.get(reverse("coworking:grid"), {"kind": "castle", "page": "x"})
    assert response.status_code == 200
    assert zone.name in response.content.decode() and room.name in response.content.decode()
