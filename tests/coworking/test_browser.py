"""A newcomer books a desk for tomorrow morning and finds it in the portal; coworking pages pass axe-core."""

import datetime

import pytest
from django.utils import timezone

from coworking import calendar, services
from tests.conftest import axe_violations, browser_login, visit
from tests.coworking.factories import make_murat_tariff, make_pass, make_room, make_space
from tests.factories import make_staff, make_user


def next_open_day(space, after):
    day = after
    while not space.hours_on(day):
        day += datetime.timedelta(days=1)
    return day


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_newcomer_books_a_desk_for_tomorrow_morning_and_sees_it_in_the_portal(page):
    zone = make_space(name="Open space La Cocotte", slug="open-space", capacity=8)
    make_murat_tariff()
    make_user("alice@example.org", first_name="Alice")
    # Tomorrow, or the next open day when tomorrow is a weekend or a public holiday.
    day = next_open_day(zone, timezone.localdate() + datetime.timedelta(days=1))

    browser_login(page, "alice@example.org")
    page.goto("/coworking/book/")
    assert page.get_by_label("De", exact=True).is_hidden()  # times only show for hourly bookings (JS, under CSP)
    page.get_by_label("Espace").select_option(label="Open space La Cocotte")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Matin").check()
    page.get_by_role("button", name="Réserver", exact=True).click()

    page.wait_for_url("**/coworking/my-bookings/")
    assert "Réservé" in page.get_by_role("status").first.inner_text()
    page.goto("/portal/")
    card = page.locator("section", has=page.get_by_role("heading", name="Mon coworking"))
    text = card.inner_text().lower()
    assert "open space la cocotte" in text and "matin" in text
    assert str(day.day) in text
    booking = zone.bookings.get()
    assert booking.start == calendar.half_day_bounds(day, "morning")[0]


def violations(page, path):
    visit(page, path)
    return axe_violations(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coworking_pages_have_no_axe_violation(axe_page):
    from accounts import roles

    zone = make_space(name="Open space", slug="open-space", capacity=4)
    room = make_room(name="Salle Bredons", slug="salle-bredons")
    make_murat_tariff()
    alice = make_user("alice@example.org", first_name="Alice")
    make_pass(alice, valid_from=timezone.localdate())
    day = next_open_day(zone, timezone.localdate() + datetime.timedelta(days=1))
    booking = services.book(zone, *calendar.half_day_bounds(day, "morning"), member=alice)
    services.book(room, calendar.local(day, datetime.time(14)), calendar.local(day, datetime.time(15)), member=alice)
    services.book_series(zone, alice, "afternoon", [day.weekday()], day, day + datetime.timedelta(days=14))
    make_staff(roles.COWORKING_MANAGER, email="camille@example.org")

    browser_login(axe_page, "alice@example.org")
    found = []
    for path in [
        "/coworking/",
        f"/coworking/spaces/{zone.slug}/",
        "/coworking/book/",
        "/coworking/book/recurring/",
        "/coworking/my-bookings/",
        f"/coworking/bookings/{booking.pk}/",
        f"/coworking/bookings/{booking.pk}/change/",
        f"/coworking/check-in/{zone.checkin_token}/",
    ]:
        found += violations(axe_page, path)
    # A form sent back with errors.
    axe_page.goto("/coworking/book/")
    axe_page.get_by_label("Date").fill("2020-01-06")
    axe_page.get_by_role("button", name="Réserver", exact=True).click()
    found += axe_violations(axe_page)
    axe_page.context.clear_cookies()
    browser_login(axe_page, "camille@example.org")
    for path in [
        "/coworking/staff/grid/",
        f"/coworking/staff/grid/?date={day.isoformat()}",  # with bookings and their buttons
        f"/coworking/staff/grid/?date={day.isoformat()}&view=week",
        "/coworking/staff/book/",
        "/coworking/staff/qr-codes/",
        "/coworking/staff/statistics/",
        "/coworking/staff/invoicing/",
    ]:
        found += violations(axe_page, path)
    assert found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_coworking_manager_checks_in_and_cancels_from_the_grid(page):
    """The grid's buttons send the page's one form to their own address (form= and formaction=)."""
    from accounts import roles
    from coworking.models import Booking

    zone = make_space(name="Open space", slug="open-space", capacity=4)
    day = next_open_day(zone, timezone.localdate() + datetime.timedelta(days=1))
    alice = make_user("alice@example.org", first_name="Alice", last_name="Martin")
    bob = make_user("bob@example.org", first_name="Bob", last_name="Durand")
    first = services.book(zone, *calendar.half_day_bounds(day, "morning"), member=alice)
    second = services.book(zone, *calendar.half_day_bounds(day, "morning"), member=bob)
    make_staff(roles.COWORKING_MANAGER, email="camille@example.org")

    browser_login(page, "camille@example.org")
    page.goto(f"/coworking/staff/grid/?date={day.isoformat()}")
    page.get_by_role("button", name="Pointer l’arrivée Alice Martin").click()
    page.wait_for_load_state()
    assert "Arrivée de Alice Martin enregistrée" in page.get_by_role("status").first.inner_text()
    page.get_by_role("button", name="Annuler Bob Durand").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Booking.Status.CHECKED_IN and second.status == Booking.Status.CANCELLED
    grid = page.locator("table.cw-grid").inner_text()
    assert "présent" in grid and "Bob Durand" not in grid
