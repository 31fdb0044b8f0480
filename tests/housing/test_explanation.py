"""The explanation on request (art. R311-3-1-2 CRPA): drafted from the frozen run, reviewed, sent, kept."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from housing.models import Application, CriterionCheck, ExplanationRequest
from housing.scoring import run_scoring
from tests.housing.factories import make_application

pytestmark = pytest.mark.django_db

FOUR_ITEMS = [
    "1. Degree and mode of contribution of the algorithmic processing to the decision",
    "2. Data processed and their sources",
    "3. Processing parameters and their weighting, as applied to your situation",
    "4. Operations carried out",
]


@pytest.fixture
def asked(grid, alice):
    """Alice filed with two children and no stable housing, was scored, then asked for the explanation."""
    alice.preferred_language = "en"
    alice.save(update_fields=["preferred_language"])
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)):
        application = make_application(
            alice,
            members=[{"first_name": c, "role": "child"} for c in ("Léo", "Jade")],
            children_count=2,
            housing_situation="none",
            refused_offers=1,
        )
    with time_machine.travel(datetime.datetime(2026, 3, 12, 9, tzinfo=datetime.UTC)):
        run_scoring()
        return ExplanationRequest.objects.create(application=application)


def test_the_draft_gives_the_four_items_from_the_frozen_run(client, housing_officer, asked):
    # The file changed after the scoring: the explanation is about the run, not today's file.
    Application.objects.filter(pk=asked.application_id).update(children_count=0)
    client.force_login(housing_officer)
    response = client.get(reverse("housing:explanation-answer", args=[asked.pk]))
    draft = response.context["form"].initial["answer"]
    positions = [draft.index(item) for item in FOUR_ITEMS]
    assert positions == sorted(positions)
    assert "Hello Alice Martin," in draft
    assert "It does not decide: the allocation committee" in draft
    assert "scored on 12 March 2026 with version 1 of the grid, adopted by Délibération n° 2025-041" in draft
    assert "came at position 1 out of 1 eligible applications" in draft
    assert "- Children in the household: 2 — Declared by the applicant" in draft
    assert "- Children in the household: 2 × 3 point(s) = 6 (ceiling 9)" in draft
    assert "- No stable housing: 1 × 10 point(s) = 10" in draft
    assert "- Suitable offers refused: 1 — Recorded by the housing service, not checked by an agent" in draft
    assert "- Suitable offers refused: 1 × -5 point(s) = -5 (ceiling 10)" in draft
    assert "ties broken by filing date, then by file number" in draft
    assert "The project is located in the territory" in draft  # the eligibility rules, in order
    assert not ExplanationRequest.objects.get().answer  # a GET writes nothing


def test_staff_edit_and_send_the_answer_by_email_and_it_stays_in_the_portal(
    client, alice, housing_officer, asked, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(housing_officer)
    url = reverse("housing:explanation-answer", args=[asked.pk])
    draft = client.get(url).context["form"].initial["answer"]
    edited = draft + "\nLe service logement reste à votre disposition.\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": edited})
    assert response.status_code == 302

    asked.refresh_from_db()
    assert asked.answered_by == housing_officer and asked.answered_at is not None
    assert asked.answer == edited.strip()
    assert asked.score == asked.application.scores.get()
    [mail] = mailoutbox
    assert mail.to == [alice.email]
    assert "1. Degree and mode of contribution of the algorithmic processing to the decision" in mail.body
    assert "Le service logement reste à votre disposition." in mail.body

    applicant = Client()
    applicant.force_login(alice)
    page = applicant.get(asked.application.get_absolute_url()).content.decode()
    assert "Le service logement reste à votre disposition." in page
    assert "Suitable offers refused" in page

    # Sent once: a second POST changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"answer": "Autre chose"})
    asked.refresh_from_db()
    assert asked.answer == edited.strip() and len(mailoutbox) == 1


def test_an_empty_answer_is_refused_next_to_its_field(client, housing_officer, asked, mailoutbox):
    client.force_login(housing_officer)
    response = client.post(reverse("housing:explanation-answer", args=[asked.pk]), {"answer": "   "})
    assert "answer" in response.context["form"].errors
    asked.refresh_from_db()
    assert asked.answered_at is None and not mailoutbox


def test_a_request_cannot_be_marked_answered_without_a_written_answer(asked, housing_officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExplanationRequest.objects.filter(pk=asked.pk).update(answered_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ExplanationRequest.objects.filter(pk=asked.pk).update(
            answered_at=timezone.now(), answered_by=housing_officer, answer=""
        )


def test_the_requests_list_shows_the_one_month_deadline_and_what_is_overdue(client, housing_officer, asked, bob):
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC)):
        answered = ExplanationRequest.objects.create(application=make_application(bob))
        answered.send("Réponse écrite.", None, housing_officer)
    client.force_login(housing_officer)
    board = client.get(reverse("housing:staff-board")).content.decode()
    assert reverse("housing:explanations") in board
    with time_machine.travel(datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC)):
        response = client.get(reverse("housing:explanations"))
    assert list(response.context["requests"]) == [asked, answered]  # waiting first
    rows = response.content.decode().split("<tr")
    waiting = next(row for row in rows if "Alice Martin" in row)
    assert "12 April 2026" in waiting and "Overdue: answer now" in waiting  # asked on 12 March
    done = next(row for row in rows if "Bob Durand" in row)
    assert "Answered on 1 April 2026 by Hélène Logement" in done


def test_the_refused_offers_source_says_verified_only_once_an_agent_checked_it(grid, alice, housing_officer):
    application = make_application(alice, refused_offers=2)
    line = run_scoring().scores.get(application=application).lines.get(criterion__key="refused_offers")
    assert (line.source, line.checked_by) == ("recorded", None)
    assert line.get_source_display() == "Recorded by the housing service, not checked by an agent"

    CriterionCheck.objects.create(
        application=application, key="refused_offers", status="verified", checked_by=housing_officer
    )
    line = run_scoring().scores.get(application=application).lines.get(criterion__key="refused_offers")
    assert (line.source, line.checked_by, line.points) == ("verified", housing_officer, -10)
    assert line.get_source_display() == "Verified by an agent"


def test_only_housing_staff_reach_the_requests(alice_client, asked):
    assert alice_client.get(reverse("housing:explanations")).status_code == 403
    assert alice_client.get(reverse("housing:explanation-answer", args=[asked.pk])).status_code == 403


def test_the_draft_is_written_in_the_applicant_s_language(client, housing_officer, asked, alice):
    alice.preferred_language = "fr"
    alice.save(update_fields=["preferred_language"])
    client.force_login(housing_officer)
    draft = client.get(reverse("housing:explanation-answer", args=[asked.pk])).context["form"].initial["answer"]
    assert "1. Degré et mode de contribution du traitement algorithmique à la prise de décision" in draft
    assert "Le 12 mars 2026, vous avez demandé" in draft
    assert "Saisi par le service logement, non vérifié par un agent" in draft
