"""Every staff page fits a phone (390 CSS pixels): no page scrolls sideways; a wide table scrolls in its own
region (`.table-responsive`, focusable and named), never the page.

The pages are those of the permission table that a staff role opens (newcomers cannot), each visited as the
first role allowed, with the world's records in them.
"""

import pytest
from django.urls import reverse

from tests.accessibility.test_reflow import OVERFLOW, UNREACHABLE_SCROLLERS
from tests.conftest import browser_login, browser_page, visit
from tests.security.personas import ALICE, STAFF_ROLES, SUPERUSER, make_personas
from tests.security.url_table import TABLE
from tests.security.world import build_world

WIDTH = 390


def staff_pages(world):
    for name, expect in sorted(TABLE.items()):
        if expect.post_only or name.startswith("admin:"):
            continue
        roles = [role for role in STAFF_ROLES if expect.statuses.get(role) == 200]
        if not roles or expect.statuses.get(ALICE) == 200 or expect.statuses.get(SUPERUSER) != 200:
            continue
        yield roles[0], reverse(name, kwargs=expect.kwargs(world)) + expect.query


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_staff_page_fits_a_phone(chromium, live_server):
    world = build_world(make_personas())
    pages = sorted(staff_pages(world))
    assert len(pages) > 30, "the staff pages were not found in the permission table"
    found, signed_in = [], None
    with browser_page(chromium, live_server, viewport={"width": WIDTH, "height": 800}, is_mobile=True) as page:
        for role, path in pages:
            if role != signed_in:
                page.context.clear_cookies()
                browser_login(page, f"{role}@example.org")
                signed_in = role
            # Files (PDF, spreadsheets, calendars) are downloads, not pages: asked for first, without opening them.
            answer = page.request.get(live_server.url + path, max_redirects=0)
            if "text/html" not in answer.headers.get("content-type", "") or answer.status != 200:
                continue
            visit(page, path)
            wide = page.evaluate(OVERFLOW)
            if wide:
                found.append(f"{path} ({role}): {wide}")
            found += [f"{path} ({role}): {line}" for line in page.evaluate(UNREACHABLE_SCROLLERS)]
    assert not found, "\n".join(found)
