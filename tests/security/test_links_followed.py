"""Every link a persona is shown opens for them: a crawl from each persona's home follows, as that persona,
every link of the site their pages show, and fails on an answer 4xx or 5xx (or, once signed in, on a
redirect to the login page: a link they cannot open)."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.personas import ANONYMOUS, PERSONAS, make_personas
from tests.security.world import build_world

LINK = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
# Not followed: the back office (its own permission table covers it), files served as they are, leaving
# the session, Django's language switch (a POST form), and the health probe (503 without a worker running
# is its answer, tested in tests/operations).
SKIPPED = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/i18n/", "/healthz")
PAGES_PER_PERSONA = 250


def links(body):
    for href in LINK.findall(body):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIPPED):
            continue
        yield href


def crawl(client, start, signed_in):
    login = reverse("accounts:login")
    seen, queue, broken = set(start), deque(start), []
    while queue and len(seen) <= PAGES_PER_PERSONA:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code >= 400:
            broken.append(f"{path} answered {response.status_code}")
            continue
        if 300 <= response.status_code < 400:
            if signed_in and response["Location"].startswith(login):
                broken.append(f"{path} sends to the login page")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in links(response.content.decode()):
            # The same page with other filters or another page number counts once.
            key = href if "?" not in href else href.split("?")[0] + "?"
            if key not in seen:
                seen.add(key)
                queue.append(href)
    return broken, len(seen)


@pytest.mark.django_db
def test_every_link_a_persona_is_shown_opens_for_them():
    users = make_personas()
    build_world(users)
    broken = []
    for persona in PERSONAS:
        client = Client()
        start = ["/"]
        if persona != ANONYMOUS:
            client.force_login(users[persona])
            start += ["/staff/" if users[persona].is_staff else "/portal/"]
        found, visited = crawl(client, start, signed_in=persona != ANONYMOUS)
        assert visited > 10, f"{persona}: only {visited} pages reached: the crawl is broken"
        broken += [f"{persona}: {line}" for line in found]
    assert not broken, "\n".join(broken)
