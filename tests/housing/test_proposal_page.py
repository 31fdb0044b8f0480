"""The committee's proposal page: its cached parts follow the data at once, what an officer types never
goes into the cache, and the hand-written decision fields stay accessible."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from committees import services
from committees.models import Decision, Meeting
from housing.committee import prepare_proposal
from housing.models import Application
from housing.scoring import run_scoring
from tests.committees.factories import make_committee, make_meeting
from tests.factories import make_user
from tests.housing.factories import make_application, make_unit
from tests.housing.test_committee import decision_data

pytestmark = pytest.mark.django_db

CONTENT = "housing/includes/_proposal.html"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def proposal(grid, housing_officer):
    """A unit for three people, three eligible candidates, one ineligible, one household too large."""
    unit = make_unit(capacity=3)
    names = ("Amina", "Pierre", "Sarah", "Marc", "Nina")
    applicants = [make_user(first_name=name, last_name="Test") for name in names]
    make_application(applicants[0], housing_situation="none", training_completed=True)
    make_application(applicants[1], training_completed=True)
    make_application(applicants[2])
    make_application(applicants[3], members=[{"first_name": c, "role": "partner"} for c in "abcd"])
    make_application(applicants[4], documents=("identity",))
    run_scoring()
    meeting = make_meeting(make_committee(voting=3))
    return prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)


@pytest.fixture
def officer_client(client, housing_officer):
    client.force_login(housing_officer)
    return client


def page(client, proposal):
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    return response


def allocation():
    return [
        {"outcome": "accepted", "rank": "1", "reason": "Projet de fromagerie abouti."},
        {"outcome": "accepted", "rank": "2", "reason": "Réserve."},
        {"outcome": "rejected", "reason": "Candidats mieux classés."},
        {"outcome": "inadmissible", "reason": "Justificatif de projet manquant."},
    ]


def test_the_candidates_are_rendered_once_and_every_officer_gets_their_own_token(
    officer_client, proposal, housing_officer
):
    other = Client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    other.force_login(housing_officer)
    first = page(officer_client, proposal)
    second = page(other, proposal)

    assert CONTENT in [template.name for template in first.templates]
    assert CONTENT not in [template.name for template in second.templates]
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())
    # The token is outside the cached part: each session has its own.
    assert other.cookies["csrftoken"].value != officer_client.cookies["csrftoken"].value


def test_a_recorded_decision_shows_at_once_on_the_page(officer_client, proposal):
    before = page(officer_client, proposal).content.decode()
    assert "Projet de fromagerie abouti." not in before

    response = officer_client.post(proposal.get_absolute_url(), decision_data(allocation()))
    assert response.status_code == 302

    after = page(officer_client, proposal).content.decode()
    assert "Projet de fromagerie abouti." in after
    assert re.search(
        r'<select [^>]*name="form-2-outcome"[^>]*>(<option [^>]*>[^<]*</option>)*?'
        r'<option value="rejected" selected>',
        after,
    )


def test_a_conflict_or_an_absence_shows_in_the_quorum_at_once(officer_client, proposal):
    assert "3 voting member(s) can take part in this case" in page(officer_client, proposal).content.decode()
    meeting = proposal.item.meeting
    members = list(meeting.committee.memberships.order_by("pk"))

    services.declare_conflict(proposal.item, members[0], "Voisine de la candidate")
    services.set_attendance(meeting, members[1], "excused")

    body = page(officer_client, proposal).content.decode()
    assert "1 voting member(s) can take part in this case" in body
    assert "Quorum is not reached for this case" in body


def test_the_list_of_unsuited_applications_follows_withdrawals_and_renamings_at_once(officer_client, proposal):
    marc = Application.objects.get(applicant__first_name="Marc")
    assert "Marc Test: the household is larger" in page(officer_client, proposal).content.decode()

    marc.applicant.last_name = "Nouveau-Nom"
    marc.applicant.save()
    assert "Marc Nouveau-Nom: the household is larger" in page(officer_client, proposal).content.decode()

    marc.withdraw()
    assert "Marc Nouveau-Nom" not in page(officer_client, proposal).content.decode()


def test_a_newly_scored_application_the_unit_does_not_suit_shows_on_a_new_proposal(
    officer_client, proposal, housing_officer
):
    page(officer_client, proposal)
    make_application(make_user(first_name="Tardive", last_name="Test"), members=[{"first_name": c} for c in "abcd"])
    run_scoring()
    meeting = make_meeting(make_committee(voting=3, name="Autre commission"))
    newer = prepare_proposal(meeting, proposal.unit, meeting.starts_at.date(), housing_officer)

    assert "Tardive Test: the household is larger" in page(officer_client, newer).content.decode()
    assert "Tardive Test" not in page(officer_client, proposal).content.decode()  # its run did not score it


def test_what_an_officer_typed_comes_back_with_accessible_errors_and_is_never_cached(officer_client, proposal):
    page(officer_client, proposal)
    rows = allocation()
    rows[0]["reason"] = ""
    rows[1]["reason"] = "Texte tapé par l'agent <b>gras</b>"

    response = officer_client.post(proposal.get_absolute_url(), decision_data(rows))

    body = response.content.decode()
    assert response.status_code == 200 and not Decision.objects.exists()
    reason = re.search(r'<textarea [^>]*name="form-0-reason"[^>]*>', body)[0]
    assert 'aria-invalid="true"' in reason and 'aria-describedby="id_form-0-reason_error"' in reason
    assert '<div id="id_form-0-reason_error" class="invalid-feedback">This field is required.</div>' in body
    assert "Texte tapé par l&#x27;agent &lt;b&gt;gras&lt;/b&gt;" in body  # kept, and escaped
    assert "Texte tapé" not in page(officer_client, proposal).content.decode()


def test_a_departure_without_justification_is_refused_and_the_typed_rows_come_back(officer_client, proposal):
    rows = allocation()
    rows[0], rows[1] = {**rows[0], "rank": "2"}, {**rows[1], "rank": "1"}

    response = officer_client.post(proposal.get_absolute_url(), decision_data(rows))

    body = response.content.decode()
    assert "departs from the order proposed by the scores" in body
    assert re.search(r'<input [^>]*name="form-0-rank" type="number" value="2">', body)
    assert not Decision.objects.exists()


def test_a_form_for_another_list_of_candidates_is_refused_without_error(officer_client, proposal):
    response = officer_client.post(proposal.get_absolute_url(), decision_data(allocation()[:3]))

    assert response.status_code == 200
    assert "The list of candidates has changed" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_fields_are_labelled_and_described_for_screen_readers(officer_client, proposal):
    body = page(officer_client, proposal).content.decode()

    for index in range(4):
        for name in ("outcome", "rank", "reason", "justification"):
            assert f'<label for="id_form-{index}-{name}" class="form-label">' in body
            assert f'id="id_form-{index}-{name}"' in body
    assert 'aria-describedby="id_form-0-rank_helptext"' in body
    assert '<div id="id_form-0-rank_helptext" class="form-text">1 gets the unit, 2 and 3 are reserves.</div>' in body
    assert '<option value="accepted" selected>Ranked (1 = allocated)</option>' in body
    assert 'name="form-TOTAL_FORMS" value="4"' in body


def test_a_closed_meeting_shows_its_decisions_without_a_button(officer_client, proposal, housing_officer):
    officer_client.post(proposal.get_absolute_url(), decision_data(allocation()))
    page(officer_client, proposal)
    services.close_meeting(proposal.item.meeting, housing_officer)

    body = page(officer_client, proposal).content.decode()
    assert "Projet de fromagerie abouti." in body
    assert "Record the committee&#x27;s decisions" not in body
    response = officer_client.post(proposal.get_absolute_url(), decision_data(allocation()))
    assert "The meeting is closed" in response.content.decode()
    assert Meeting.objects.get().status == Meeting.Status.CLOSED


def test_a_visit_with_the_candidates_cached_makes_few_queries(officer_client, proposal, django_assert_max_num_queries):
    page(officer_client, proposal)
    with django_assert_max_num_queries(3):
        page(officer_client, proposal)


def test_rendering_the_page_afresh_makes_a_fixed_number_of_queries(
    officer_client, proposal, django_assert_max_num_queries
):
    page(officer_client, proposal)
    cache.clear()
    # Session, user, whether they have an authenticator app, two for permissions; the proposal, candidates,
    # decisions, score lines (with their criteria and checkers), the unit, the unsuited applications, the quorum,
    # the organisation record the header names: none per candidate.
    with django_assert_max_num_queries(13):
        body = page(officer_client, proposal).content.decode()
    assert body.count('<caption class="visually-hidden">Points per criterion') == 3
