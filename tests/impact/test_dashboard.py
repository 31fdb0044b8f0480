import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from impact.models import LocalSpending
from tests.impact.factories import CHILD_IN_SCHOOL, PARTNER, installed, known_data

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2024-01-01", "end": "2024-12-31"}


@pytest.fixture
def director_client(client, director):
    client.force_login(director)
    return client


def test_the_director_sees_the_dashboard_with_the_hand_computed_figures(director_client):
    known_data()
    response = director_client.get(reverse("impact:dashboard"), PERIOD)

    assert response.status_code == 200
    f = response.context["f"]
    assert (f["entrepreneurs"], f["people"], f["children_in_school"], f["jobs"]) == (2, 9, 3, 2)
    body = response.content.decode()
    assert "40\u202f000,50\xa0€" in body  # the money format of the whole site
    assert 'id="impact-chart-data"' in body
    assert "vendor/chart.js/chart.umd.js" in body
    assert "<script>" not in body  # no inline script: the CSP forbids it


def test_each_figure_links_to_the_records_behind_it(director_client):
    projects = known_data()
    response = director_client.get(reverse("impact:records", args=["entrepreneurs"]), PERIOD)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    body = response.content.decode()
    assert str(projects["p1"].newcomer) in body
    assert str(projects["p4"].newcomer) not in body

    households = director_client.get(reverse("impact:records", args=["households"]), PERIOD)
    assert sum(row[3] for row in households.context["rows"]) == 9
    assert sum(row[4] for row in households.context["rows"]) == 3
    assert len(director_client.get(reverse("impact:records", args=["children"]), PERIOD).context["rows"]) == 3
    assert len(director_client.get(reverse("impact:records", args=["public_cost"]), PERIOD).context["rows"]) == 2
    assert len(director_client.get(reverse("impact:records", args=["reinjected"]), PERIOD).context["rows"]) == 3
    assert director_client.get(reverse("impact:records", args=["nothing"])).status_code == 404
    dashboard = director_client.get(reverse("impact:dashboard"), PERIOD).content.decode()
    assert reverse("impact:records", args=["entrepreneurs"]) + "?start=2024-01-01&amp;end=2024-12-31" in dashboard


def test_the_exports_carry_the_figures_for_funders(director_client):
    known_data()
    csv_response = director_client.get(reverse("impact:export", args=["csv"]), PERIOD)
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "2024-01-01" in text
    assert "40000,50" in text

    xlsx = director_client.get(reverse("impact:export", args=["xlsx"]), PERIOD)
    workbook = load_workbook(io.BytesIO(xlsx.content))
    values = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert 2 in (values.get("Entrepreneurs installés"), values.get("Entrepreneurs installed"))
    assert 40000.5 in values.values()
    assert director_client.get(reverse("impact:export", args=["pdf"]), PERIOD).status_code == 404


def test_a_reversed_period_says_so_and_falls_back(director_client):
    response = director_client.get(reverse("impact:dashboard"), {"start": "2024-12-31", "end": "2024-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    html = response.content.decode()
    # What was typed stays in the fields, marked invalid and tied to the error, which says what to do.
    assert 'value="2024-12-31"' in html
    assert 'value="2024-01-01"' in html
    assert html.count('aria-describedby="period-errors"') == 2
    assert "Corrigez les dates" in html


@pytest.mark.parametrize("who", ["alice", "referent", "housing_officer"])
def test_only_the_director_role_opens_the_dashboard(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("impact:dashboard")).status_code == 403
    assert client.get(reverse("impact:export", args=["csv"])).status_code == 403
    assert client.get(reverse("impact:records", args=["entrepreneurs"])).status_code == 403


def _newcomers(count):
    for n in range(count):
        project = installed(
            datetime.date(2024, 1 + n % 12, 1),
            {"creation_date": datetime.date(2024, 1 + n % 12, 2), "jobs": 1},
            [PARTNER, CHILD_IN_SCHOOL],
        )
        LocalSpending.objects.create(
            project=project,
            category="rent",
            amount=500,
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 12, 31),
        )


@pytest.mark.parametrize("count", [5, 50])
def test_the_dashboard_query_count_does_not_grow_with_newcomers(director_client, django_assert_max_num_queries, count):
    known_data()
    _newcomers(count)
    with django_assert_max_num_queries(30):
        response = director_client.get(reverse("impact:dashboard"), PERIOD)
    assert response.context["f"]["entrepreneurs"] == 2 + count
    assert response.context["f"]["people"] == 9 + 3 * count


def test_an_installed_household_declares_its_local_spending(client):
    project = installed(datetime.date(2024, 3, 1))
    client.force_login(project.newcomer)
    portal = client.get(reverse("portal")).content.decode()
    assert reverse("impact:declare-spending") in portal

    response = client.post(
        reverse("impact:declare-spending"),
        {"category": "works", "amount": "12000", "period_start": "2024-04-01", "period_end": "2024-05-31"},
    )
    assert response.status_code == 302
    assert LocalSpending.objects.get().project == project


def test_spending_cannot_be_declared_for_the_future(client):
    project = installed(datetime.date(2024, 3, 1))
    client.force_login(project.newcomer)
    future = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    response = client.post(
        reverse("impact:declare-spending"),
        {"category": "rent", "amount": "500", "period_start": "2024-04-01", "period_end": future},
    )
    assert response.status_code == 200
    assert not LocalSpending.objects.exists()


def test_a_household_not_installed_cannot_declare(alice_client):
    assert alice_client.get(reverse("impact:declare-spending")).status_code == 404


def test_the_default_period_starts_with_the_latest_target_and_follows_a_new_one(director_client):
    from django.utils import timezone

    from impact.models import Target

    today = timezone.localdate()
    Target.objects.create(
        name="Objectif 2023", low_goal=3, high_goal=5, start_date=datetime.date(2023, 1, 1), deadline=today
    )
    assert director_client.get(reverse("impact:index")).context["period"].start == datetime.date(2023, 1, 1)
    Target.objects.create(
        name="Objectif suivant",
        low_goal=4,
        high_goal=6,
        start_date=today - datetime.timedelta(days=10),
        deadline=today + datetime.timedelta(days=700),
    )
    assert director_client.get(reverse("impact:index")).context["period"].start == today - datetime.timedelta(days=10)
