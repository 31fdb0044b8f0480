import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from telecentre.training import services
from telecentre.training.models import Complaint, Enrolment, Questionnaire, Session, SurveyResponse
from tests.training.conftest import at
from tests.training.factories import NEXT_MONDAY, make_enrolment, make_programme, make_session

pytestmark = pytest.mark.django_db


def test_the_satisfaction_survey_goes_out_at_the_end_and_the_follow_up_60_days_later(
    alice, bob, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session()
    make_enrolment(session, alice)
    make_enrolment(session, bob, Enrolment.Status.CANCELLED)
    frozen.move_to(at(NEXT_MONDAY, 16))
    call_command("training_send_surveys", stdout=io.StringIO())
    assert not SurveyResponse.objects.exists()  # the last half-day is not over yet

    frozen.move_to(at(NEXT_MONDAY, 18))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("training_send_surveys", stdout=io.StringIO())
        call_command("training_send_surveys", stdout=io.StringIO())

    hot = SurveyResponse.objects.get()
    assert hot.questionnaire.kind == Questionnaire.Kind.SATISFACTION and hot.enrolment.trainee == alice
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert hot.get_absolute_url() in mailoutbox[0].body

    frozen.move_to(at(NEXT_MONDAY + datetime.timedelta(days=60), 18))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("training_send_surveys", stdout=io.StringIO())
    cold = SurveyResponse.objects.get(questionnaire__kind=Questionnaire.Kind.FOLLOW_UP)
    assert cold.enrolment.trainee == alice
    hot.refresh_from_db()
    # The unanswered end-of-training survey is reminded once in the same run.
    assert hot.reminders_sent == 1 and len(mailoutbox) == 3
    assert [m.to for m in mailoutbox if m.subject.startswith("Rappel")] == [["alice@example.org"]]


def test_answering_the_survey_stores_the_answers_and_the_average_rating(client, alice, frozen):
    enrolment = make_enrolment(make_session(), alice)
    questionnaire = Questionnaire.objects.get(kind=Questionnaire.Kind.SATISFACTION)
    response, _created = SurveyResponse.objects.for_trainee(questionnaire, enrolment)
    questions = list(questionnaire.questions.all())
    data = {f"q{q.pk}": "5" if q.kind == "rating" else "Plus de pratique" for q in questions}
    data[f"q{questions[0].pk}"] = "3"

    page = client.post(reverse("training:survey", args=[response.token]), data)

    assert "Merci" in page.content.decode()
    response.refresh_from_db()
    assert response.answered_at is not None
    assert response.satisfaction == Decimal("4.60")
    assert response.answers[str(questions[-1].pk)] == "Plus de pratique"
    again = client.get(reverse("training:survey", args=[response.token]))
    assert "Vous avez déjà répondu" in again.content.decode()


def test_an_incomplete_survey_is_refused(client, alice, frozen):
    enrolment = make_enrolment(make_session(), alice)
    questionnaire = Questionnaire.objects.get(kind=Questionnaire.Kind.SATISFACTION)
    response, _created = SurveyResponse.objects.for_trainee(questionnaire, enrolment)

    client.post(reverse("training:survey", args=[response.token]), {})

    response.refresh_from_db()
    assert response.answered_at is None


def test_an_unknown_survey_token_is_404(client):
    assert client.get(reverse("training:survey", args=["nope"])).status_code == 404


def test_a_complaint_is_acknowledged_answered_and_closed_with_an_improvement_action(
    client, alice, training_manager, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session()
    make_enrolment(session, alice)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("training:complaint"),
            {"session": session.pk, "subject": "Salle trop froide", "description": "Le chauffage était coupé."},
        )
    complaint = Complaint.objects.get()
    assert (
        complaint.status == Complaint.Status.ACKNOWLEDGED and complaint.programme == session.programme_version.programme
    )
    assert complaint.received_at == complaint.acknowledged_at == at(datetime.date(2026, 3, 2))
    assert "Nous accusons réception" in mailoutbox[-1].body

    client.force_login(training_manager)
    url = reverse("training:complaint-action", args=[complaint.pk, "close"])
    refused = client.post(url, {"improvement_action": "x"}, follow=True)
    assert "Répondez à la réclamation avant de la clôturer" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("training:complaint-action", args=[complaint.pk, "answer"]),
            {"response": "Le chauffage a été réparé."},
        )
    assert "Le chauffage a été réparé." in mailoutbox[-1].body
    client.post(url, {"improvement_action": "Vérifier le chauffage la veille de chaque session."})

    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.handled_by == training_manager
    assert complaint.improvement_action == "Vérifier le chauffage la veille de chaque session."
    register = client.get(reverse("training:staff-complaints")).content.decode()
    assert "Salle trop froide" in register and "Vérifier le chauffage" in register


def test_the_results_page_shows_people_trained_completion_and_satisfaction_with_the_period(client, alice, bob, frozen):
    programme = make_programme("teletravail", title="Devenir télétravailleur indépendant")
    session = make_session(programme)
    done = make_enrolment(session, alice, attended_hours=Decimal("16"), completed_at=at(NEXT_MONDAY, 18))
    make_enrolment(session, bob, attended_hours=Decimal("4"))
    Session.objects.filter(pk=session.pk).update(status=Session.Status.COMPLETED, completed_at=at(NEXT_MONDAY, 18))
    questionnaire = Questionnaire.objects.get(kind=Questionnaire.Kind.SATISFACTION)
    services.record_survey_answers(SurveyResponse.objects.for_trainee(questionnaire, done)[0], {"1": 5})
    frozen.move_to(at(NEXT_MONDAY + datetime.timedelta(days=1)))

    body = client.get(reverse("training:results", args=["teletravail"])).content.decode()

    assert "Période : du 11 mars 2025 au 10 mars 2026, 1 session terminée." in body
    assert '<dt class="col-sm-5">Personnes formées</dt><dd class="col-sm-7">2</dd>' in body
    assert "50 %" in body and "100 % (1 réponse)" in body
