"""The personal-data export holds what is about the person, never what they handled for others."""

import datetime
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from committees.models import Decision
from housing.models import NotificationLetter
from journey.models import CheckIn, StageChange
from telecentre.training import services as training
from telecentre.training.models import Certificate
from telecentre.training.signatures import decode_signature
from tests.committees.factories import make_committee, make_item, make_meeting
from tests.factories import make_project, make_user
from tests.housing.factories import make_application
from tests.training.factories import make_enrolment, make_session, signature_data_url

pytestmark = pytest.mark.django_db
TRAINEE_IP = "203.0.113.47"


def exported(client, user):
    client.force_login(user)
    response = client.get(reverse("privacy:export-json"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def followed(alice, referent):
    """Alice's project, followed by the referent: a stage change and a follow-up check-in they recorded."""
    project = make_project(alice, referent=referent, description="Fromagerie au lait cru à Allanche")
    StageChange.objects.create(project=project, from_stage="enquiry", to_stage="preparation", changed_by=referent)
    CheckIn.objects.create(
        project=project,
        months=6,
        due_on=datetime.date(2026, 6, 1),
        done_on=datetime.date(2026, 6, 3),
        difficulties="Trésorerie tendue au démarrage",
        recorded_by=referent,
    )
    return project


def test_a_referents_export_holds_nothing_about_the_people_they_follow(client, referent, followed):
    text = exported(client, referent)

    assert referent.email in text
    for trace in ("alice@example.org", "Martin", "Fromagerie au lait cru", "Trésorerie tendue"):
        assert trace not in text


def test_a_former_referent_whose_rights_were_removed_gets_nothing_about_them_either(client, referent, followed):
    referent.groups.clear()
    referent.is_staff = False
    referent.save()

    text = exported(client, referent)

    assert "alice@example.org" not in text and "Trésorerie tendue" not in text


def test_the_person_followed_finds_their_own_project_and_check_in(client, alice, followed):
    text = exported(client, alice)

    assert "Fromagerie au lait cru" in text and "Trésorerie tendue" in text
    # Who follows them is about them too.
    assert "Rémi Référent" in text


@pytest.fixture
def signed_session(alice, frozen_monday):
    """A session a trainer (not staff) gave: Alice signed the morning from her phone, the trainer locked it."""
    trainer = make_user("formatrice@example.org", first_name="Léa", last_name="Formatrice")
    session = make_session(trainers=[trainer])
    enrolment = make_enrolment(session, alice)
    slot = session.slots.order_by("date", "period").first()
    frozen_monday.move_to(slot.start)
    training.sign(
        slot, enrolment, decode_signature(signature_data_url()), by=alice, via="trainee", ip_address=TRAINEE_IP
    )
    frozen_monday.move_to(slot.end)
    training.sign_as_trainer(slot, decode_signature(signature_data_url()), by=trainer, now=slot.end)
    return trainer, enrolment


@pytest.fixture
def frozen_monday():
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 2, 6, tzinfo=datetime.UTC), tick=False) as traveller:
        yield traveller


def test_a_trainers_export_holds_no_trainee_ip_nor_attendance(client, signed_session):
    trainer, _enrolment = signed_session
    assert not trainer.is_staff

    text = exported(client, trainer)

    assert "formatrice@example.org" in text
    assert TRAINEE_IP not in text and "alice@example.org" not in text and "Alice Martin" not in text


def test_the_trainee_finds_their_attendance_and_certificate(client, alice, signed_session):
    _trainer, enrolment = signed_session
    Certificate.objects.create(
        enrolment=enrolment, kind=Certificate.Kind.COMPLETION, number="CR-2026-00042", data={"attended_hours": "3.5"}
    )

    data = json.loads(exported(client, alice))["data"]

    assert [row["numéro"] for row in data["certificats"]] == ["CR-2026-00042"]
    assert data["certificats"][0]["contenu"] == {"attended_hours": "3.5"}
    assert [row["adresse IP"] for row in data["présences"]] == [TRAINEE_IP]


@pytest.fixture
def decided(alice, housing_officer):
    """Alice's housing application, decided by the committee, with its letter."""
    application = make_application(alice)
    item = make_item(make_meeting(make_committee()), subject=application)
    decision = Decision.objects.create(
        item=item,
        subject=application,
        outcome=Decision.Outcome.ACCEPTED,
        rank=1,
        reason="Projet de fromagerie abouti, pas de logement stable.",
        recorded_by=housing_officer,
    )
    letter = NotificationLetter(application=application, decision=decision)
    letter.file.save("decision.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    letter.save()
    return application


def test_the_applicant_finds_the_housing_decision_and_its_letter(client, alice, decided):
    data = json.loads(exported(client, alice))["data"]

    assert [row["motif"] for row in data["décisions"]] == ["Projet de fromagerie abouti, pas de logement stable."]
    assert len(data["courriers de notification"]) == 1
    assert len(data["justificatifs"]) == 2


def test_the_housing_officers_export_holds_no_applicant_nor_decision(client, housing_officer, decided):
    text = exported(client, housing_officer)

    assert "alice@example.org" not in text and "Projet de fromagerie abouti" not in text


def test_another_newcomers_decision_stays_out_of_mine(client, bob, decided):
    text = exported(client, bob)

    assert "Projet de fromagerie abouti" not in text


def test_the_readable_page_speaks_french_dates_and_yes_no(client, alice, decided):
    client.force_login(alice)

    body = client.get(reverse("privacy:export-html")).content.decode()

    assert "Projet de fromagerie abouti" in body
    assert "True" not in body and "False" not in body and "None" not in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body), "a raw ISO date or timestamp is shown"
    assert '<dd class="col-sm-8 text-break">Oui</dd>' in body and '<dd class="col-sm-8 text-break">Non</dd>' in body
    assert "Actif" in body  # the account's French labels
