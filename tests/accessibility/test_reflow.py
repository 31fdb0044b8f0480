"""RGAA 10.11 / WCAG 1.4.10 (reflow): at 320 CSS pixels wide, no public or portal page scrolls sideways.

A data table may scroll inside its own region (`.table-responsive`), never the page; a region that scrolls
is focusable and named, so that it can be scrolled with the keyboard (RGAA 12.13 / WCAG 2.1.1).
"""

import pytest

from tests.accessibility.test_axe import PORTAL_PAGES, PUBLIC_PAGES, path_of
from tests.conftest import browser_login, browser_page, visit
from tests.security.personas import make_personas
from tests.security.world import build_world

WIDTH = 320

OVERFLOW = """() => {
  const page = document.documentElement;
  if (page.scrollWidth <= page.clientWidth) return null;
  // Name the innermost elements that stick out (outside a scrolling region), to say what to fix.
  const sticksOut = el => !el.parentElement.closest('.table-responsive')
    && el.getBoundingClientRect().right > page.clientWidth + 1;
  const wide = [...document.body.querySelectorAll('*')].filter(sticksOut)
    .filter(el => ![...el.children].some(sticksOut))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
      + ' "' + el.textContent.trim().slice(0, 30) + '"');
  return `${page.scrollWidth} px wide: ${wide.join(', ')}`;
}"""
# A region that scrolls sideways must be reachable with the keyboard (focusable) and named.
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll('.table-responsive')]
  .filter(el => el.scrollWidth > el.clientWidth && !(el.tabIndex >= 0 && el.getAttribute('aria-label')))
  .map(el => 'a table scrolls in a region without tabindex="0" and aria-label: ' + el.textContent.slice(0, 40))"""


@pytest.fixture
def narrow_page(chromium, live_server):
    with browser_page(chromium, live_server, viewport={"width": WIDTH, "height": 640}, is_mobile=True) as page:
        yield page


def overflow(page, path):
    visit(page, path)
    found = page.evaluate(OVERFLOW)
    unreachable = [f"{path}: {line}" for line in page.evaluate(UNREACHABLE_SCROLLERS)]
    return ([f"{path}: {found}"] if found else []) + unreachable


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_and_portal_pages_reflow_at_320_pixels(narrow_page):
    world = build_world(make_personas())
    found = []
    for entry in PUBLIC_PAGES:
        found += overflow(narrow_page, path_of(entry, world))
    browser_login(narrow_page, "alice@example.org")
    for entry in PORTAL_PAGES:
        found += overflow(narrow_page, path_of(entry, world))
    assert not found, "\n".join(found)
