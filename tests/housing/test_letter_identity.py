"""The decision letter names the body, its signatory, appeal routes and DPO from the organisation record."""

import pytest
from django.urls import reverse

from housing.committee import prepare_proposal
from housing.models import NotificationLetter
from housing.scoring import run_scoring
from organisation.models import Signatory
from tests.committees.factories import make_committee, make_meeting
from tests.factories import make_user
from tests.housing.factories import make_application, make_unit
from tests.housing.test_committee import decision_data
from tests.training.factories import pdf_text

pytestmark = pytest.mark.django_db


def decide(client, officer):
    unit = make_unit()
    application = make_application(make_user(first_name="Amina", last_name="Test"), training_completed=True)
    run_scoring()
    meeting = make_meeting(make_committee(voting=3))
    proposal = prepare_proposal(meeting, unit, meeting.starts_at.date(), officer)
    client.force_login(officer)
    client.post(proposal.get_absolute_url(), decision_data([{"outcome": "accepted", "rank": "1", "reason": "Oui."}]))
    client.post(reverse("housing:meeting-close", args=[meeting.pk]))
    return NotificationLetter.objects.get(application=application)


def test_the_letter_names_the_body_its_signatory_tribunal_and_dpo_from_the_record(
    client, housing_officer, grid, organisation, django_capture_on_commit_callbacks
):
    organisation.dpo_email = "rgpd@mairie.example.fr"
    organisation.tribunal_name = "Tribunal administratif de Lyon"
    organisation.save()
    signatory = organisation.signatory_for(Signatory.Kind.HOUSING_ALLOCATION)

    with django_capture_on_commit_callbacks(execute=True):
        letter = decide(client, housing_officer)
    text = " ".join(pdf_text(letter.file.read()).split())

    for expected in [
        organisation.legal_name,
        "Fait à Murat",
        "Tribunal administratif de Lyon",
        "citoyens.telerecours.fr",
        "rgpd@mairie.example.fr",
        f"{signatory.name}",
        signatory.quality,
        "arrêté n° 2026-12",
    ]:
        assert expected in text, expected
