"""A GET changes nothing: every URL of the permission table, as every persona, runs no INSERT, UPDATE or DELETE.

Reading the SQL each request runs catches the class (a page that creates its row when first shown, stamps
a "seen" date, consumes a token), not only the examples found so far. The session table is the one
exception: a GET may open or renew a session (messages, language), which is not the site's data.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.security import url_table
from tests.security.personas import ANONYMOUS, PERSONAS, make_personas
from tests.security.world import build_world

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
ALLOWED_TABLES = {"django_session"}
TABLE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)


def writes(queries):
    """The tables written by these queries, the session table aside."""
    tables = []
    for query in queries:
        sql = query["sql"]
        if WRITE.match(sql):
            match = TABLE.match(sql)
            table = match.group(1) if match else sql[:60]
            if table not in ALLOWED_TABLES:
                tables.append(table)
    return tables


def test_the_write_detector_sees_inserts_updates_and_deletes():
    queries = [
        {"sql": 'INSERT INTO "accounts_household" ("owner_id") VALUES (1)'},
        {"sql": 'UPDATE "otp_totp_totpdevice" SET "confirmed" = true'},
        {"sql": 'DELETE FROM "journey_document" WHERE id = 1'},
        {"sql": 'UPDATE "django_session" SET "session_data" = \'x\''},
        {"sql": 'SELECT "id" FROM "accounts_user"'},
    ]
    assert writes(queries) == ["accounts_household", "otp_totp_totpdevice", "journey_document"]


@pytest.mark.django_db
def test_no_get_of_any_url_writes_a_row_for_any_persona(client):
    world = build_world(make_personas())
    failures, checked = [], 0
    for name, expect in sorted(url_table.TABLE.items()):
        url = reverse(name, kwargs=expect.kwargs(world)) + expect.query
        for persona in PERSONAS:
            client.logout()
            if persona != ANONYMOUS:
                client.force_login(world.users[persona])
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            checked += 1
            written = writes(captured.captured_queries)
            if written:
                failures.append(f"GET {url} as {persona} wrote to {sorted(set(written))}")
    print(f"GET writes nothing: {checked} GETs ({len(url_table.TABLE)} URLs x {len(PERSONAS)} personas)")
    assert checked > 1000
    assert not failures, "\n".join(failures)
