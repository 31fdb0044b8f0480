import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import InstallationProject
from journey import services
from journey.models import Arrival, CheckIn, Closure, Offer, StageChange, Step
from tests.journey.factories import accept_in_committee, at_stage, complete_stage, make_newcomer_project

Stage = InstallationProject.Stage
pytestmark = pytest.mark.django_db


def test_a_project_cannot_leave_enquiry_before_its_checklist_is_done(referent):
    project = make_newcomer_project(referent=referent)

    with pytest.raises(ValidationError) as error:
        services.advance(project, Stage.PREPARATION, referent)

    assert "Réunion d'information tenue" in str(error.value)
    project.refresh_from_db()
    assert project.stage == Stage.ENQUIRY
    assert not StageChange.objects.exists()


def test_advancing_writes_the_history_and_emails_the_newcomer(referent, mailoutbox, django_capture_on_commit_callbacks):
    project = make_newcomer_project(referent=referent)
    complete_stage(project, Stage.ENQUIRY)

    with django_capture_on_commit_callbacks(execute=True):
        services.advance(project, Stage.PREPARATION, referent)

    project.refresh_from_db()
    assert project.stage == Stage.PREPARATION
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == (Stage.ENQUIRY, Stage.PREPARATION, referent)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [project.newcomer.email]


def test_a_stage_can_be_skipped_only_with_its_checklist_done(referent):
    project = make_newcomer_project(referent=referent)
    complete_stage(project, Stage.ENQUIRY)

    with pytest.raises(ValidationError, match="Immersion|immersion"):
        services.advance(project, Stage.APPLICATION, referent)
    project.refresh_from_db()
    assert project.stage == Stage.ENQUIRY

    complete_stage(project, Stage.PREPARATION)
    services.advance(project, Stage.APPLICATION, referent)
    project.refresh_from_db()
    assert project.stage == Stage.APPLICATION


def test_a_salaried_teleworker_needs_no_business_plan(referent):
    project = make_newcomer_project(referent=referent, kind=InstallationProject.Kind.SALARIED_TELEWORK)
    complete_stage(project, Stage.ENQUIRY)
    for key in ("training", "immersion"):
        Step.objects.create(project=project, key=key)

    services.advance(project, Stage.APPLICATION, referent)

    project.refresh_from_db()
    assert project.stage == Stage.APPLICATION


def test_going_back_needs_a_note(referent):
    project = at_stage(make_newcomer_project(referent=referent), Stage.APPLICATION)

    with pytest.raises(ValidationError):
        services.advance(project, Stage.PREPARATION, referent)
    services.advance(project, Stage.PREPARATION, referent, note="Business plan à revoir.")

    project.refresh_from_db()
    assert project.stage == Stage.PREPARATION
    assert StageChange.objects.get().note == "Business plan à revoir."


def test_the_committee_stage_needs_an_accepted_decision_of_a_closed_selection_meeting(referent):
    project = at_stage(make_newcomer_project(referent=referent), Stage.APPLICATION)
    complete_stage(project, Stage.APPLICATION)
    services.advance(project, Stage.COMMITTEE, referent)
    accept_in_committee(project, closed=False)

    with pytest.raises(ValidationError, match="jury de sélection"):
        services.advance(project, Stage.OFFER, referent)

    accept_in_committee(project, closed=True)
    services.advance(project, Stage.OFFER, referent)
    project.refresh_from_db()
    assert project.stage == Stage.OFFER


def test_the_residence_stage_is_skipped_when_the_offer_has_no_stay(referent):
    project = at_stage(make_newcomer_project(referent=referent), Stage.OFFER)
    complete_stage(project, Stage.OFFER)
    complete_stage(project, Stage.IN_RESIDENCE)  # the arrival

    services.advance(project, Stage.INSTALLED, referent)

    project.refresh_from_db()
    assert project.stage == Stage.INSTALLED


def test_the_residence_stage_cannot_be_skipped_without_its_report_when_the_offer_has_a_stay(referent):
    project = at_stage(make_newcomer_project(referent=referent), Stage.OFFER)
    complete_stage(project, Stage.OFFER)
    Offer.objects.filter(project=project).update(residence=True)
    complete_stage(project, Stage.IN_RESIDENCE)

    with pytest.raises(ValidationError):
        services.advance(project, Stage.INSTALLED, referent)
    project.refresh_from_db()
    assert project.stage == Stage.OFFER


def test_reaching_installed_schedules_the_follow_up(referent):
    project = at_stage(make_newcomer_project(referent=referent), Stage.IN_RESIDENCE)
    complete_stage(project, Stage.IN_RESIDENCE)
    Arrival.objects.filter(project=project).update(arrival_date=datetime.date(2025, 1, 31))

    services.advance(project, Stage.INSTALLED, referent)

    due = list(CheckIn.objects.filter(project=project).values_list("months", "due_on"))
    assert due == [
        (1, datetime.date(2025, 2, 28)),
        (3, datetime.date(2025, 4, 30)),
        (6, datetime.date(2025, 7, 31)),
        (12, datetime.date(2026, 1, 31)),
        (24, datetime.date(2027, 1, 31)),
        (36, datetime.date(2028, 1, 31)),
    ]


def test_closing_as_left_needs_a_reason_and_as_settled_needs_the_follow_up(referent):
    project = at_stage(make_newcomer_project(referent=referent), Stage.PREPARATION)

    with pytest.raises(ValidationError):
        services.close(project, Closure.Outcome.WITHDRAWN, referent)
    with pytest.raises(ValidationError):
        services.close(project, Closure.Outcome.SETTLED, referent, reason="ok")
    assert not Closure.objects.exists()

    services.close(project, Closure.Outcome.WITHDRAWN, referent, reason="Projet reporté pour raisons familiales.")
    project.refresh_from_db()
    assert project.stage == Stage.CLOSED
    assert project.closure.outcome == Closure.Outcome.WITHDRAWN


def test_the_referent_moves_a_project_from_the_staff_page(client, referent):
    project = make_newcomer_project(referent=referent)
    complete_stage(project, Stage.ENQUIRY)
    client.force_login(referent)

    response = client.post(reverse("journey:advance", args=[project.pk]), {"to_stage": "preparation", "note": ""})

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.PREPARATION


def test_a_skipped_checklist_shows_what_is_missing_and_writes_nothing(client, referent):
    project = make_newcomer_project(referent=referent)
    client.force_login(referent)

    response = client.post(reverse("journey:advance", args=[project.pk]), {"to_stage": "application", "note": ""})

    assert response.status_code == 200
    assert "ne peut pas encore avancer" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.ENQUIRY
    assert not StageChange.objects.exists()


def test_the_director_sees_the_board_but_cannot_move_projects(client, director, referent):
    project = make_newcomer_project(referent=referent)
    complete_stage(project, Stage.ENQUIRY)
    client.force_login(director)

    assert client.get(reverse("journey:board")).status_code == 200
    assert client.get(reverse("journey:project", args=[project.pk])).status_code == 200
    response = client.post(reverse("journey:advance", args=[project.pk]), {"to_stage": "preparation"})

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == Stage.ENQUIRY


def test_newcomers_cannot_reach_the_board(alice_client):
    assert alice_client.get(reverse("journey:board")).status_code == 403


def test_stage_changes_need_a_post(client, referent):
    project = make_newcomer_project(referent=referent)
    client.force_login(referent)
    assert client.get(reverse("journey:advance", args=[project.pk])).status_code == 405
