"""The housing officer's screens say what they mean in French, and the ranking leads to each application."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.housing.factories import make_application, make_caps, make_occupancy, make_unit
from tests.housing.test_proposal_page import proposal  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(client, housing_officer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(housing_officer)
    with translation.override("fr"):
        yield client


def test_a_vacant_month_reads_libre_not_gratuit(french, alice):
    make_caps()
    unit = make_unit()
    make_occupancy(unit, alice, datetime.date(2026, 1, 10), datetime.date(2026, 3, 1))
    with time_machine.travel(datetime.datetime(2026, 1, 5, 8, tzinfo=datetime.UTC)):
        page = french.get(reverse("housing:timeline")).content.decode()
    assert ">Libre</td>" in page and "<strong>libre</strong>" in page
    assert "Gratuit" not in page


def test_the_ranking_heads_the_scheme_column_dispositif_and_links_each_name(french, grid, alice):
    from housing.scoring import run_scoring

    application = make_application(alice)
    run_scoring()
    page = french.get(reverse("housing:staff-board")).content.decode()
    assert '<th scope="col">Dispositif</th>' in page and ">Formation<" not in page
    link = reverse("admin:housing_application_change", args=[application.pk])
    assert f'<a href="{link}">Alice Martin</a>' in page
    assert french.get(link).status_code == 200  # the housing officer may open it


def test_the_decision_form_says_ranked_with_one_allocated(french, proposal):  # noqa: F811
    page = french.get(proposal.get_absolute_url()).content.decode()
    assert ">Classé (1 = attribué)</option>" in page
    first = proposal.candidates.first()
    assert reverse("admin:housing_application_change", args=[first.application_id]) in page
