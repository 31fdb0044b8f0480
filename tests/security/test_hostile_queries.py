"""Every page, with every query parameter it reads set to a hostile value, answers below 500.

The parameter names are not listed by hand: each page is first opened with a query string that binds
its forms, and the names its view reads from request.GET are recorded; then each name gets each value
of HOSTILE_VALUES (non-ASCII digits, year 0 and 10000, the last day of year 9999, numbers beyond 64 bits,
a NUL byte...). Each page is opened by the first of the superuser, alice and an anonymous visitor that
the permission table lets in, so staff, portal and public pages are all visited.
"""

from contextlib import contextmanager

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.security import url_table
from tests.security.personas import ALICE, ANONYMOUS, SUPERUSER, make_personas
from tests.security.world import build_world

HOSTILE_VALUES = [
    "²",
    "٣",
    "0",
    "-1",
    "10000",
    "99999999999999999999",
    "99999999999999999999-1",
    "2026-99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "2026-13-45",
    "1e309",
    "NaN",
    "\x00",
    " ",
    "<script>",
    "x" * 3000,
]
# Readers of a query string that are not the page's parameters: the login redirect's and the page cache's.
IGNORED = {"next"}
BINDING = "_=1"  # a non-empty query string, so that forms built from request.GET are bound and read it


@contextmanager
def recording_reads():
    """The names read from any QueryDict while inside (the request's GET, a form's data)."""
    names = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")}

    def recorder(original):
        def read(self, key, *args, **kwargs):
            if self is current.get("query"):
                names.add(key)
            return original(self, key, *args, **kwargs)

        return read

    current = {}
    original_init = QueryDict.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        raw = args[0] if args else kwargs.get("query_string")
        if isinstance(raw, bytes | str) and BINDING in (raw.decode() if isinstance(raw, bytes) else raw):
            current["query"] = self

    try:
        QueryDict.__init__ = init
        for name, original in originals.items():
            setattr(QueryDict, name, recorder(original))
        yield names
    finally:
        QueryDict.__init__ = original_init
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def visitor(expect):
    for persona in (SUPERUSER, ALICE, ANONYMOUS):
        if expect.statuses[persona] == 200:
            return persona
    return None


@pytest.mark.django_db
def test_no_page_answers_500_to_hostile_query_parameters(client, world):
    client.raise_request_exception = False
    failures, visits, pages, names_seen = [], 0, 0, set()
    for name, expect in sorted(url_table.TABLE.items()):
        persona = visitor(expect)
        if persona is None:
            continue
        client.logout()
        if persona != ANONYMOUS:
            client.force_login(world.users[persona])
        url = reverse(name, kwargs=expect.kwargs(world))
        with recording_reads() as names:
            client.get(f"{url}?{BINDING}")
        names -= IGNORED | {"_"}
        pages += 1
        for parameter in sorted(names):
            names_seen.add(parameter)
            for value in HOSTILE_VALUES:
                response = client.get(url, {parameter: value})
                visits += 1
                if response.status_code >= 500:
                    failures.append(f"{name} {url}?{parameter}={value[:30]!r} as {persona}: {response.status_code}")
    print(
        f"hostile query parameters: {pages} pages, {len(names_seen)} parameter names "
        f"({', '.join(sorted(names_seen))}) x {len(HOSTILE_VALUES)} values = {visits} requests"
    )
    assert {"year", "month", "date", "edition", "at", "page", "q", "start", "end"} <= names_seen
    assert not failures, "\n".join(failures)


@pytest.fixture
def world(db):
    return build_world(make_personas())
