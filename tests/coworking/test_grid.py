"""The occupancy grid: rendered in Python, cached until its data changes, one form for all its buttons."""

import re

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from coworking import services, staff
from coworking.models import Booking
from tests.coworking.factories import MONDAY, TUESDAY, at, make_room, slot

pytestmark = pytest.mark.django_db


def grid(client, **params):
    response = client.get(reverse("coworking:grid"), {"date": MONDAY.isoformat(), **params})
    assert response.status_code == 200
    return response.content.decode()


def main(page):
    """The page's own content, without the site's header and footer."""
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_a_new_booking_a_check_in_and_a_cancellation_show_at_once(client, coworking_manager, alice, bob, frozen, zone):
    client.force_login(coworking_manager)
    assert "Alice Martin" not in grid(client)  # now cached
    booking = services.book(zone, *slot(MONDAY), member=alice)
    assert "Alice Martin" in grid(client) and "1/2" in grid(client)
    booking.check_in()
    assert "présent" in main(grid(client))
    other = services.book(zone, *slot(MONDAY), member=bob)
    assert "2/2" in grid(client)
    services.cancel(other, by=coworking_manager, staff=True)
    page = grid(client)
    assert "Bob Durand" not in page and "1/2" in page


def test_a_new_name_shows_at_once(client, coworking_manager, alice, frozen, zone):
    services.book(zone, *slot(MONDAY), member=alice)
    client.force_login(coworking_manager)
    assert "Alice Martin" in grid(client)
    alice.last_name = "Martin-Roche"
    alice.save()
    assert "Alice Martin-Roche" in grid(client)


def test_a_cached_grid_reads_only_the_session_the_user_and_the_versions(
    client, coworking_manager, alice, frozen, zone, django_assert_max_num_queries
):
    """Session, user, whether they have an authenticator app, and the versions in the cache key (one query:
    read from the database, they are the same in every worker, with or without a shared cache)."""
    services.book(zone, *slot(MONDAY), member=alice)
    client.force_login(coworking_manager)
    grid(client)
    with django_assert_max_num_queries(4):
        assert "Alice Martin" in grid(client)


def test_check_in_and_cancel_buttons_send_the_page_s_one_form(coworking_manager, alice, bob, frozen, zone):
    first = services.book(zone, *slot(MONDAY), member=alice)
    second = services.book(zone, *slot(MONDAY), member=bob)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coworking_manager)
    page = main(grid(browser))

    # One form with the CSRF token; each button names it and the URL of its action.
    assert page.count('<form method="post"') == 1 and page.count("csrfmiddlewaretoken") == 1
    check_in = reverse("coworking:staff-check-in", args=[first.pk])
    cancel = reverse("coworking:staff-cancel", args=[second.pk])
    assert f'<button form="grid-actions" formaction="{check_in}"' in page
    assert f'<button form="grid-actions" formaction="{cancel}"' in page
    assert '<span class="visually-hidden"> Alice Martin</span>' in page  # which booking, for screen readers

    # What the browser sends when a button is pressed: the form's fields to the button's formaction.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert browser.post(check_in, {"csrfmiddlewaretoken": token}).status_code == 302
    assert browser.post(cancel, {"csrfmiddlewaretoken": token}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Booking.Status.CHECKED_IN and second.status == Booking.Status.CANCELLED
    page = main(grid(browser))
    assert "présent" in page and "Bob Durand" not in page and check_in not in page


def test_the_cached_grid_varies_on_the_permission_to_manage_bookings(
    client, coworking_manager, director, alice, frozen, zone
):
    services.book(zone, *slot(MONDAY), member=alice)
    client.force_login(coworking_manager)
    assert "formaction" in grid(client)
    client.force_login(director)
    page = main(grid(client))
    assert "Alice Martin" in page
    assert "formaction" not in page and "csrfmiddlewaretoken" not in page
    assert "Réserver pour quelqu’un" not in page


def test_the_week_view_has_no_buttons(client, coworking_manager, alice, frozen, zone):
    services.book(zone, *slot(TUESDAY), member=alice)
    client.force_login(coworking_manager)
    page = main(grid(client, view="week"))
    assert "Alice Martin" in page and "formaction" not in page and "csrfmiddlewaretoken" not in page


def test_the_cached_part_holds_no_csrf_token(coworking_manager, alice, frozen, zone):
    services.book(zone, *slot(MONDAY), member=alice)
    html = staff._grid_content(QueryDict(f"date={MONDAY.isoformat()}"), can_manage=True)
    assert "Alice Martin" in html and "formaction" in html
    assert "csrfmiddlewaretoken" not in html and "nonce" not in html


def test_names_are_escaped_and_hours_shown(client, coworking_manager, frozen):
    room = make_room(name="Salle <b>Cantal</b>")
    services.book(room, at(MONDAY, 9), at(MONDAY, 10, 30), guest_name="<script>x</script>", staff=True)
    client.force_login(coworking_manager)
    page = main(grid(client))
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt; (09:00–10:30)" in page
    assert "Salle &lt;b&gt;Cantal&lt;/b&gt;" in page


def test_the_query_string_keys_the_cache(client, coworking_manager, alice, frozen, zone):
    services.book(zone, *slot(TUESDAY), member=alice)
    client.force_login(coworking_manager)
    assert "Alice Martin" not in grid(client)
    assert "Alice Martin" in grid(client, date=TUESDAY.isoformat())
    # Links keep the order of the parameters the page was asked with.
    page = client.get(reverse("coworking:grid") + f"?view=week&date={MONDAY.isoformat()}").content.decode()
    assert f'href="?view=week&amp;date={MONDAY.replace(day=9).isoformat()}"' in page
