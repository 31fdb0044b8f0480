import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from privacy.models import AccessibilityReport, DataRequest
from tests.factories import make_household, make_project


@pytest.mark.django_db
def test_the_json_export_holds_my_account_household_and_project_but_no_secret(alice_client, alice, bob):
    make_project(alice, sector="Céramique")
    make_household(alice, [{"first_name": "Léo", "role": "child"}])
    make_project(bob, sector="Menuiserie")

    response = alice_client.get(reverse("privacy:export-json"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    data = json.loads(text)["data"]
    assert data["utilisateur"][0]["adresse électronique"] == "alice@example.org"
    assert "Céramique" in text and "Léo" in text
    assert "Menuiserie" not in text
    assert "pbkdf2" not in text and "md5$" not in text and "mot de passe" not in text


@pytest.mark.django_db
def test_the_readable_export_is_a_page_of_my_data(alice_client, alice):
    make_household(alice, [{"first_name": "Léo", "role": "child"}])
    body = alice_client.get(reverse("privacy:export-html")).content.decode()
    assert "Léo" in body and "Membres du foyer" in body


@pytest.mark.django_db
def test_exports_need_a_login(client):
    assert client.get(reverse("privacy:export-json")).status_code == 302
    assert client.get(reverse("privacy:export-html")).status_code == 302


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 26, 10, tzinfo=datetime.UTC))
def test_a_request_is_tracked_with_its_one_month_deadline(alice_client, alice):
    response = alice_client.post(reverse("privacy:my-data"), {"kind": "erasure", "message": "Tout effacer"})

    assert response.status_code == 302
    data_request = DataRequest.objects.get()
    assert data_request.user == alice and data_request.email == alice.email
    assert data_request.due_on == datetime.date(2026, 12, 26)
    page = alice_client.get(reverse("privacy:my-data")).content.decode()
    assert "26/12/2026" in page


@pytest.mark.django_db
def test_overdue_requests_stand_out_for_the_director(client, director, alice):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)):
        DataRequest.objects.create(user=alice, email=alice.email, kind="access")
    DataRequest.objects.create(email="x@example.org", kind="erasure")
    client.force_login(director)

    body = client.get(reverse("privacy:requests")).content.decode()

    assert body.count("table-danger") == 1
    assert "en retard" in body
    assert DataRequest.objects.overdue().count() == 1


@pytest.mark.django_db
def test_newcomers_cannot_see_the_requests_or_the_register(alice_client):
    assert alice_client.get(reverse("privacy:requests")).status_code == 403
    assert alice_client.get(reverse("privacy:register")).status_code == 403


@pytest.mark.django_db
def test_the_register_lists_every_processing_activity(client, director):
    client.force_login(director)
    body = client.get(reverse("privacy:register")).content.decode()
    assert "Registre des activités de traitement" in body
    assert "Base légale" in body and "forum du télétravail" in body


@pytest.mark.django_db
def test_anyone_can_report_an_accessibility_problem(client):
    response = client.post(
        reverse("privacy:accessibility-report"),
        {"email": "visiteur@example.org", "page_url": "/forum/", "description": "Le bouton est illisible au zoom."},
    )
    assert response.status_code == 302
    assert AccessibilityReport.objects.get().page_url == "/forum/"


@pytest.mark.django_db
def test_an_accessibility_report_without_description_is_refused_and_kept(client):
    response = client.post(
        reverse("privacy:accessibility-report"), {"email": "visiteur@example.org", "page_url": "/forum/"}
    )
    assert response.status_code == 200
    assert 'value="visiteur@example.org"' in response.content.decode()
    assert not AccessibilityReport.objects.exists()


@pytest.mark.django_db
def test_audit_events_are_listed_for_the_director(client, director, alice):
    AuditEvent.objects.create(actor=director, actor_label=str(director), action="stage changed", target_label="X")
    client.force_login(director)
    body = client.get(reverse("audit:index")).content.decode()
    assert "stage changed" in body


@pytest.mark.django_db
def test_a_staff_action_on_a_custom_screen_is_audited_without_values(client, referent, alice):
    client.force_login(referent)
    response = client.post(reverse("privacy:accessibility-report"), {"email": "x@example.org", "description": "Zoom"})
    assert response.status_code == 302

    event = AuditEvent.objects.get(action="privacy:accessibility-report")
    assert event.actor == referent
    assert event.changes == {"fields sent": [None, "description, email"]}
    assert "x@example.org" not in str(event.changes)


@pytest.mark.django_db
def test_newcomers_actions_and_refused_posts_are_not_in_the_staff_audit(alice_client, client, referent):
    alice_client.post(reverse("privacy:accessibility-report"), {"email": "x@example.org", "description": "Zoom"})
    client.force_login(referent)
    client.post(reverse("privacy:accessibility-report"), {"email": "not-an-email"})
    assert not AuditEvent.objects.filter(action="privacy:accessibility-report").exists()
