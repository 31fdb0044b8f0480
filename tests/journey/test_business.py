import datetime

import pytest
from django.urls import reverse

from journey.models import Business
from tests.journey.factories import make_newcomer_project

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Menuiserie du Plomb",
    "siret": "732 829 320 00074",
    "siren": "",
    "legal_form": "sarl",
    "naf_code": "16.23Z",
    "creation_date": "2024-03-01",
    "origin": "created",
    "jobs": "2",
}


@pytest.fixture
def project(alice, referent):
    return make_newcomer_project(newcomer=alice, referent=referent)


def test_a_business_with_a_valid_siret_is_saved_with_its_siren(alice_client, project):
    response = alice_client.post(reverse("journey:my-business"), VALID)

    assert response.status_code == 302
    business = Business.objects.get()
    assert (business.siret, business.siren) == ("73282932000074", "732829320")
    assert business.siret_display == "732 829 320 00074"
    assert business.creation_date == datetime.date(2024, 3, 1)


def test_an_invalid_siret_gets_a_clear_message_and_nothing_is_written(alice_client, project):
    response = alice_client.post(reverse("journey:my-business"), {**VALID, "siret": "732 829 320 00075"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "SIRET" in body
    assert "732 829 320 00075" in body or "73282932000075" in body
    assert not Business.objects.exists()


def test_a_la_poste_siret_that_fails_luhn_is_accepted(alice_client, project):
    response = alice_client.post(reverse("journey:my-business"), {**VALID, "siret": "356 000 000 49837"})
    assert response.status_code == 302
    assert Business.objects.get().siren == "356000000"


def test_a_siren_that_does_not_match_the_siret_is_refused(alice_client, project):
    response = alice_client.post(reverse("journey:my-business"), {**VALID, "siren": "552 100 554"})
    assert response.status_code == 200
    assert not Business.objects.exists()


def test_registration_pending_needs_no_siret(alice_client, project):
    data = {**VALID, "siret": "", "creation_date": "", "registration_pending": "on"}
    response = alice_client.post(reverse("journey:my-business"), data)
    assert response.status_code == 302
    assert Business.objects.get().registration_pending


def test_without_siret_nor_pending_the_form_says_what_to_do(alice_client, project):
    response = alice_client.post(reverse("journey:my-business"), {**VALID, "siret": ""})
    assert response.status_code == 200
    assert "immatriculation en cours" in response.content.decode()
    assert not Business.objects.exists()


def test_a_bad_activity_code_is_refused(alice_client, project):
    response = alice_client.post(reverse("journey:my-business"), {**VALID, "naf_code": "6201"})
    assert response.status_code == 200
    assert not Business.objects.exists()
