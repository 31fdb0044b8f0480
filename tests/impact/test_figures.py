"""Every dashboard figure checked against a value computed by hand from tests.impact.factories.known_data.

2024, by hand:
- households installed: p1 (1 Mar), p2 (10 Jun), p3 (1 Sep) = 3; p4 arrived in 2023, p5 has not arrived;
- entrepreneurs: p1 and p2 have a business, p3 is salaried = 2;
- people: 3 newcomers + p1's 3 members + p3's 3 members = 9;
- children in a local school: p1's Léo + p3's two = 3 (p1's Lou is still to enrol);
- jobs: p1's 2; p2's business ceased on 1 Oct 2024, before the end of the period = 2;
- survival at 31 Dec 2024: 1 year: p2 (2019), p4 (May 2023), p6 (2021, ceased Jun 2022, after a year) = 3/3;
  2 years: p2 survived, p6 did not (ceased before Jan 2023) = 1/2; 3 years: same = 1/2;
- public cost: 30 000 (LEADER) + 10 000,50 (council) = 40 000,50; the 2023 invoice is outside;
- reinjected: 6 000 + 20 000 + 4 000,50 = 30 000,50; p3's declaration ends in 2025, outside;
- ratio: 30 000,50 / 40 000,50;
- target (from 1 Jan 2023): p1, p2, p4 = 3 entrepreneurs, low goal 3 reached (100 %), high goal 5 (60 %);
- forum: 2 forum enquiries received in 2024 (p5's and one unconverted); 1 installed after a forum enquiry (p1).
"""

import datetime
from decimal import Decimal

import pytest

from impact import figures
from impact.figures import Period
from impact.models import FundingLine
from tests.impact.factories import known_data

pytestmark = pytest.mark.django_db
YEAR_2024 = Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


@pytest.fixture
def f():
    known_data()
    return figures.compute(YEAR_2024)


def test_people_figures_match_the_hand_count(f):
    assert f["households"] == 3
    assert f["entrepreneurs"] == 2
    assert f["people"] == 9
    assert f["children_in_school"] == 3
    assert f["jobs"] == 2


def test_survival_rates_match_the_hand_count(f):
    assert {years: (s["survived"], s["cohort"]) for years, s in f["survival"].items()} == {
        1: (3, 3),
        2: (1, 2),
        3: (1, 2),
    }
    assert f["survival"][2]["rate"] == Decimal("0.5")


def test_money_figures_match_the_hand_count(f):
    assert f["public_cost"] == Decimal("40000.50")
    assert dict(f["cost_by_funder"])[FundingLine.Funder.EU_LEADER.label] == Decimal("30000")
    assert f["reinjected"] == Decimal("30000.50")
    assert f["reinjected_per_euro"] == Decimal("30000.50") / Decimal("40000.50")
    assert sum(amount for _label, amount in f["spending_by_category"]) == Decimal("30000.50")


def test_target_progress_matches_the_hand_count(f):
    target = f["target"]
    assert target["reached"] == 3
    assert target["low_share"] == 1
    assert target["high_share"] == Decimal("0.6")


def test_forum_conversion_matches_the_hand_count(f):
    assert f["forum"]["enquiries"] == 2
    assert f["forum"]["installed"] == 1


def test_figures_by_year_add_up(f):
    assert f["by_year"] == [
        {
            "year": 2024,
            "households": 3,
            "entrepreneurs": 2,
            "people": 9,
            "cost": Decimal("40000.50"),
            "reinjected": Decimal("30000.50"),
        }
    ]


def test_another_period_gives_other_figures():
    known_data()
    f = figures.compute(Period(datetime.date(2023, 1, 1), datetime.date(2024, 12, 31)))
    assert (f["households"], f["entrepreneurs"], f["people"], f["children_in_school"]) == (4, 3, 11, 4)
    assert f["jobs"] == 5  # p1's 2 and p4's 3
    assert f["public_cost"] == Decimal("45000.50")
