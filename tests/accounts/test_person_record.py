"""Staff find a person by name or email, accents and case ignored, and read their record on one page: project,
referent (assigned there), documents, contacts log, bookings, trainings, housing applications, forum
registrations — each part only for the roles whose permissions open it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import InstallationProject
from journey.models import Contact
from tests.factories import make_staff, make_user
from tests.forum.factories import make_edition, make_registration
from tests.journey.factories import make_newcomer_project

pytestmark = pytest.mark.django_db


def search(client, text):
    return client.get(reverse("people"), {"q": text}).content.decode()


def test_typing_helene_finds_helene_whatever_the_accents_and_capitals(client):
    helene = make_user("h.lefevre@example.org", first_name="Hélène", last_name="Lefèvre")
    make_user("helen@example.org", first_name="Helen", last_name="Smith")
    make_user("paul@example.org", first_name="Paul", last_name="Durand")
    client.force_login(make_staff(roles.COWORKING_MANAGER))

    for typed in ("helene", "HÉLÈNE", "lefevre helene", "Lefèvre", "h.lefevre@"):
        page = search(client, typed)
        assert reverse("person", args=[helene.pk]) in page, typed
        assert "Paul" not in page
    assert "Helen Smith" in search(client, "helen") and "Hélène" in search(client, "helen")
    assert "Personne ne correspond" in search(client, "zzz")


def test_a_newcomer_cannot_search_people_nor_open_a_record(client):
    other = make_user()
    client.force_login(make_user())
    assert client.get(reverse("people"), {"q": other.last_name}).status_code == 403
    assert client.get(reverse("person", args=[other.pk])).status_code in (302, 403)


def test_the_referent_reads_the_whole_record_assigns_themselves_and_logs_a_call(client):
    newcomer = make_user("lea@example.org", first_name="Léa", last_name="Roux")
    project = make_newcomer_project(newcomer=newcomer)
    assert project.referent is None
    make_registration(make_edition(), email="lea@example.org")
    referent = make_staff(roles.NEWCOMER_REFERENT, first_name="Camille", last_name="Vidal")
    client.force_login(referent)

    page = client.get(reverse("person", args=[newcomer.pk])).content.decode()
    assert "Léa Roux" in page and "Projet d’installation" in page

    response = client.post(reverse("journey:person-referent", args=[newcomer.pk]), {"referent": referent.pk})
    assert response.status_code == 302
    assert InstallationProject.objects.get(pk=project.pk).referent == referent

    # A contact dated tomorrow is refused next to its field, with what was typed kept.
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    refused = client.post(
        reverse("person-contact", args=[newcomer.pk]),
        {"kind": "call", "happened_on": tomorrow, "summary": "Appel sur le logement"},
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "dans le futur" in body and "Appel sur le logement" in body
    assert not Contact.objects.exists()

    today = timezone.localdate().isoformat()
    client.post(
        reverse("person-contact", args=[newcomer.pk]),
        {"kind": "call", "happened_on": today, "summary": "Appel sur le logement"},
    )
    contact = Contact.objects.get()
    assert (contact.person, contact.recorded_by) == (newcomer, referent)
    assert "Appel sur le logement" in client.get(reverse("person", args=[newcomer.pk])).content.decode()


def test_each_part_of_the_record_needs_its_permission(client):
    newcomer = make_user("lea@example.org", first_name="Léa", last_name="Roux")
    make_newcomer_project(newcomer=newcomer)
    Contact.objects.create(person=newcomer, kind="note", summary="Note confidentielle du référent")
    make_registration(make_edition(), email="lea@example.org")
    client.force_login(make_staff(roles.COWORKING_MANAGER))

    page = client.get(reverse("person", args=[newcomer.pk])).content.decode()
    assert "Léa Roux" in page
    assert "Note confidentielle" not in page and "Forum du télétravail" not in page
    client.force_login(make_staff(roles.DIRECTOR))
    page = client.get(reverse("person", args=[newcomer.pk])).content.decode()
    assert "Note confidentielle" in page and "Forum du télétravail" in page
    client.force_login(make_staff(roles.COWORKING_MANAGER, email="second-manager@example.org"))
    assert client.post(reverse("journey:person-referent", args=[newcomer.pk]), {"referent": ""}).status_code == 403
    assert (
        client.post(
            reverse("person-contact", args=[newcomer.pk]), {"kind": "note", "happened_on": "", "summary": "x"}
        ).status_code
        == 403
    )
