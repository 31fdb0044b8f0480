"""French writes the first of the month "1er": every page of the site, read on the 1st with every object it
shows dated around then, never says "1 avril"; and the site's one date formatting (core.dates, which the
templates' `date` filter is) says "1er" wherever a month name follows the day."""

import datetime
import re

import pytest
import time_machine
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from core import dates
from tests.security import url_table
from tests.security.personas import ANONYMOUS, PERSONAS, make_personas
from tests.security.world import build_world

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST_WITHOUT_ER = re.compile(rf"(?<![\d,.])1(?:&nbsp;|\s|\u00a0|\u202f)+(?:{MONTHS})\b", re.IGNORECASE)
FIRST_OF_APRIL = datetime.datetime(2027, 4, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("format_string", "french", "english"),
    [
        ("j F Y", "1er avril 2027", "1 April 2027"),
        ("DATE_FORMAT", "1er avril 2027", "1 April 2027"),
        ("DATETIME_FORMAT", "1er avril 2027, 11:30", "1 April 2027, 11:30"),
        ("l j F", "jeudi 1er avril", "Thursday 1 April"),
        ("j/n/Y", "1/4/2027", "1/4/2027"),
        ("SHORT_DATE_FORMAT", "01/04/2027", "01/04/2027"),
    ],
)
def test_the_first_of_the_month_is_1er_in_french_only_before_a_month_name(format_string, french, english):
    template = engines["django"].from_string("{{ day|date:format }}")
    for language, expected in (("fr", french), ("en", english)):
        with translation.override(language), timezone.override("Europe/Paris"):
            assert template.render({"day": FIRST_OF_APRIL, "format": format_string}).lower() == expected.lower()
            assert dates.format_date(FIRST_OF_APRIL, format_string).lower() == expected.lower()


def test_other_days_are_written_as_django_writes_them():
    with translation.override("fr"):
        assert dates.format_date(datetime.date(2027, 4, 12), "j F Y") == "12 avril 2027"
        assert dates.format_date(datetime.date(2027, 4, 11), "j F Y") == "11 avril 2027"
        assert dates.format_date(None) == ""


@pytest.mark.django_db
def test_no_page_writes_the_first_of_the_month_without_er(client):
    """Every page of the permission table, as the first persona it opens for, on 1 April with the security
    world's objects dated from that day (meetings, sessions, bookings, the forum, deadlines…)."""
    with time_machine.travel(FIRST_OF_APRIL, tick=False):
        world = build_world(make_personas())
        offenders, read = [], 0
        for name, expect in sorted(url_table.TABLE.items()):
            if expect.post_only:
                continue
            persona = next((p for p in PERSONAS if expect.statuses[p] == 200), None)
            if persona is None:
                continue
            client.logout()
            if persona != ANONYMOUS:
                client.force_login(world.users[persona])
            response = client.get(reverse(name, kwargs=expect.kwargs(world)) + expect.query)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            read += 1
            found = FIRST_WITHOUT_ER.findall(response.content.decode())
            if found:
                offenders.append(f"{name}: {found[:3]}")
    assert read > 60
    assert not offenders, "pages writing «1 <mois>» instead of «1er <mois>»:\n" + "\n".join(offenders)
