"""One status per application, derived from the decisions of closed meetings, said the same everywhere."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from committees.models import Meeting
from housing.committee import Choice, close_and_notify, decide, prepare_proposal
from housing.models import Application, NotificationLetter
from housing.scoring import run_scoring
from tests.committees.factories import make_committee, make_meeting
from tests.factories import make_user
from tests.housing.factories import make_application, make_unit
from tests.training.factories import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(grid, housing_officer):
    """Three eligible applicants ranked 1, 2, 3 on one unit, a fourth refused; the meeting not closed yet."""
    unit = make_unit(capacity=3)
    people = [make_user(first_name=name, last_name="Test") for name in ("Amina", "Pierre", "Sarah", "Marc")]
    applications = [
        make_application(people[0], housing_situation="none", training_completed=True),
        make_application(people[1], training_completed=True),
        make_application(people[2], local_activity=True),
        make_application(people[3]),
    ]
    run_scoring()
    meeting = make_meeting(make_committee(voting=3))
    proposal = prepare_proposal(meeting, unit, meeting.starts_at.date(), housing_officer)
    candidates = list(proposal.candidates.select_related("application"))  # in the order of the scores
    plan = [("accepted", 1, "Projet abouti."), ("accepted", 2, "Réserve."), ("accepted", 3, "Réserve.")]
    plan.append(("rejected", None, "Candidats mieux classés."))
    choices = [
        Choice(candidate=candidate, outcome=outcome, rank=rank, reason=reason)
        for candidate, (outcome, rank, reason) in zip(candidates, plan, strict=True)
    ]
    decide(proposal, choices, housing_officer)
    assert {c.application for c in candidates} == set(applications)
    return meeting, [c.application for c in candidates]


def outcome_of(application):
    return Application.objects.get(pk=application.pk).outcome()


def test_decisions_of_an_open_meeting_are_not_shown_as_outcomes(decided):
    meeting, applications = decided

    assert [outcome_of(a).code for a in applications] == [Application.Outcome.PROPOSED] * 4
    assert Application.objects.get(pk=applications[0].pk).allocated_at is None


def test_a_closed_meeting_gives_each_applicant_their_outcome(decided, housing_officer):
    meeting, applications = decided
    close_and_notify(meeting, housing_officer)

    outcomes = [outcome_of(a) for a in applications]
    assert [o.code for o in outcomes] == ["allocated", "reserve", "reserve", "refused"]
    assert [o.rank for o in outcomes] == [None, 2, 3, None]
    assert str(outcomes[2].label) == "On the reserve list, rank 3"
    assert outcomes[3].reason == "Candidats mieux classés."


def test_the_reserve_candidate_reads_the_same_outcome_on_page_letter_portal_and_admin(
    client, decided, housing_officer, admin_user
):
    meeting, applications = decided
    close_and_notify(meeting, housing_officer)
    reserve = applications[2]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    with translation.override("fr"):
        said = "Sur la liste de réserve, rang 3"
        client.force_login(reserve.applicant)
        page = client.get(reserve.get_absolute_url()).content.decode()
        portal = client.get(reverse("portal")).content.decode()
        letter = NotificationLetter.objects.get(application=reserve)
        letter_text = pdf_text(letter.file.read())
        client.force_login(admin_user)
        admin_list = client.get(reverse("admin:housing_application_changelist")).content.decode()

    for text in (page, portal, letter_text):
        assert said in text
        assert "Attribué" not in text and "attente de commission" not in text
    assert said in admin_list and "Attribué" in admin_list  # the rank-1 applicant's row


def test_a_withdrawn_application_says_withdrawn_whatever_was_proposed(decided):
    meeting, applications = decided
    application = Application.objects.get(pk=applications[1].pk)
    application.withdraw()

    assert outcome_of(application).code == Application.Outcome.WITHDRAWN
    assert meeting.status == Meeting.Status.OPEN


def test_an_unscored_then_ranked_application_says_so(grid, alice):
    application = make_application(alice)
    assert outcome_of(application).code == Application.Outcome.FILED

    run_scoring()

    outcome = outcome_of(application)
    assert outcome.code == Application.Outcome.RANKED and str(outcome.label) == "Eligible and ranked 1 of 1"
