import datetime
import io

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from housing.models import Application, ExplanationRequest, SupportingDocument
from housing.scoring import run_scoring
from tests.factories import make_commune, make_household, make_project, make_user
from tests.housing.factories import PDF, make_application

pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def apply_data(**overrides):
    data = {
        "scheme": "bridge",
        "desired_start": "2027-03-01",
        "desired_end": "2027-12-01",
        "household_size": "3",
        "children_count": "1",
        "max_budget": "300",
        "housing_situation": "temporary",
        "training_completed": "on",
        "motivation": "Reprise d'une boulangerie à Murat",
    }
    return {**data, **overrides}


def test_applying_needs_a_project_and_a_household(alice_client):
    body = alice_client.get(reverse("housing:apply")).content.decode()
    assert "Describe my project" in body and "Describe my household" in body


def test_a_newcomer_applies_from_the_portal_tied_to_project_and_household(alice_client, alice):
    project = make_project(alice, kind="takeover", target_commune=make_commune())
    household = make_household(
        alice, [{"first_name": "Lucie", "role": "partner"}, {"first_name": "Emma", "role": "child"}]
    )

    form = alice_client.get(reverse("housing:apply")).context["form"]
    assert form.initial["household_size"] == 3 and form.initial["children_count"] == 1
    response = alice_client.post(reverse("housing:apply"), apply_data())

    application = Application.objects.get(applicant=alice)
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    assert (application.project, application.household) == (project, household)
    assert application.status == Application.Status.SUBMITTED and application.training_completed


def test_bad_needs_are_refused_and_what_was_typed_is_kept(alice_client, alice):
    make_project(alice)
    make_household(alice)
    response = alice_client.post(
        reverse("housing:apply"), apply_data(desired_end="2027-01-01", household_size="1", children_count="1")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "The departure date must come after the arrival date." in errors["desired_end"]
    assert "at least one adult applies" in errors["children_count"][0]
    assert "Reprise d&#x27;une boulangerie" in response.content.decode()
    assert not Application.objects.exists()


def test_a_second_waiting_application_for_the_same_programme_is_refused(alice_client, alice):
    make_application(alice)
    response = alice_client.post(reverse("housing:apply"), apply_data())
    assert "You already have an application waiting for this programme." in response.content.decode()
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("scan.pdf", PDF, "application/pdf"), ("photo.png", png_bytes(), "image/png")],
)
def test_a_real_pdf_or_image_is_accepted_into_private_storage(alice_client, alice, name, content, content_type):
    application = make_application(alice, documents=())
    response = alice_client.post(
        reverse("housing:upload-document", args=[application.pk]),
        {"kind": "identity", "file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )
    assert response.status_code == 302
    document = SupportingDocument.objects.get()
    assert document.content_type == content_type and document.size == len(content)
    assert storages["private"].exists(document.file.name)
    assert not default_storage.exists(document.file.name)


@pytest.mark.parametrize(
    ("name", "content", "stored_as", "content_type"),
    [
        ("dossier.html", PDF, "dossier.pdf", "application/pdf"),  # a PDF polyglot named to be rendered as a page
        ("scan.png", PDF, "scan.pdf", "application/pdf"),
        ("photo.pdf", png_bytes(), "photo.png", "image/png"),
    ],
)
def test_a_document_is_stored_and_served_under_the_type_its_bytes_prove(
    client, alice, housing_officer, name, content, stored_as, content_type
):
    application = make_application(alice, documents=())
    client.force_login(alice)
    response = client.post(
        reverse("housing:upload-document", args=[application.pk]),
        {"kind": "identity", "file": SimpleUploadedFile(name, content, content_type="text/html")},
    )
    assert response.status_code == 302
    document = SupportingDocument.objects.get()
    assert document.original_name == stored_as and document.file.name.endswith(stored_as[-4:])
    assert document.content_type == content_type
    client.force_login(housing_officer)
    served = client.get(document.get_absolute_url())
    assert served["Content-Type"] == content_type and stored_as in served["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.pdf", b"MZ\x90\x00 this is an executable renamed .pdf"),
        ("fake.png", b"<html><script>alert(1)</script></html>"),
        ("truncated.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
    ],
)
def test_an_upload_that_is_not_a_real_pdf_or_image_is_refused_and_nothing_is_written(
    alice_client, alice, name, content
):
    application = make_application(alice, documents=())
    response = alice_client.post(
        reverse("housing:upload-document", args=[application.pk]),
        {"kind": "identity", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "neither a PDF nor a JPEG, PNG or WebP image" in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_a_document_over_5_mb_is_refused(alice_client, alice):
    application = make_application(alice, documents=())
    big = PDF[:-6] + b"0" * (5 * 1024 * 1024) + b"%%EOF\n"
    response = alice_client.post(
        reverse("housing:upload-document", args=[application.pk]),
        {"kind": "project", "file": SimpleUploadedFile("big.pdf", big)},
    )
    assert response.status_code == 400 and "larger than 5 MB" in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_documents_are_served_to_their_owner_and_housing_staff_only(
    client, alice, bob, housing_officer, coworking_manager
):
    document = make_application(alice).documents.first()
    url = document.get_absolute_url()

    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    for other in (bob, coworking_manager):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(housing_officer)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_another_newcomer_s_application_is_404(client, alice, bob):
    application = make_application(alice)
    client.force_login(bob)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(reverse("housing:withdraw", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_applicant_sees_points_sources_position_and_the_algorithm_notice(grid, alice_client, alice, bob):
    make_application(bob, training_completed=True, local_activity=True)
    application = make_application(alice, housing_situation="none")
    run_scoring()

    body = alice_client.get(application.get_absolute_url()).content.decode()

    assert "No stable housing" in body and "Declared by the applicant" in body and "Computed from the file" in body
    assert "position <strong>2</strong> out of 2 eligible applications" in body
    assert "Délibération n° 2025-041" in body and reverse("housing:grid-version", args=[1]) in body
    assert "L311-3-1" in body and "CADA" in body
    assert "not enough allocated applications yet" in body


def test_an_ineligible_applicant_sees_the_reason(grid, alice_client, alice):
    application = make_application(alice, documents=("identity",))
    run_scoring()
    body = alice_client.get(application.get_absolute_url()).content.decode()
    assert "does not meet the eligibility rules" in body and "missing Project proof" in body


def test_the_average_wait_of_similar_applications_is_shown(grid, alice_client, alice):
    now = timezone.now()
    for days in (30, 90):
        Application.objects.filter(pk=make_application(make_user()).pk).update(
            status="allocated",
            submitted_at=now - datetime.timedelta(days=days + 10),
            allocated_at=now - datetime.timedelta(days=10),
        )
    # A larger household is not similar: it does not count.
    other = make_application(make_user(), members=[{"first_name": "Zoé", "role": "partner"}])
    Application.objects.filter(pk=other.pk).update(status="allocated", allocated_at=now + datetime.timedelta(days=500))
    application = make_application(alice)
    body = alice_client.get(application.get_absolute_url()).content.decode()
    assert "Average wait of similar applications: 60 days (from 2 applications)" in body


def test_a_newcomer_can_ask_for_the_explanation_and_withdraw(alice_client, alice):
    application = make_application(alice)
    alice_client.post(reverse("housing:request-explanation", args=[application.pk]))
    assert ExplanationRequest.objects.filter(application=application).count() == 1

    alice_client.post(reverse("housing:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_the_public_page_shows_the_grid_in_force(client, grid):
    body = client.get(reverse("housing:index")).content.decode()
    assert reverse("housing:grid") in body

    body = client.get(reverse("housing:grid")).content.decode()
    assert "Délibération n° 2025-041" in body and "Children in the household" in body
    assert "18 months" in body and "6 months" in body
    assert "L311-3-1" in body


def test_the_grid_page_is_404_before_any_grid_is_published(client, db):
    assert client.get(reverse("housing:grid")).status_code == 404


def test_the_public_pages_are_in_french_by_default(client, grid):
    del client.cookies["django_language"]
    body = client.get(reverse("housing:grid")).content.decode()
    assert "Règles d'éligibilité" in body or "éligibilité" in body


def test_the_portal_card_shows_points_and_links_to_the_application(grid, alice_client, alice):
    application = make_application(alice, training_completed=True)
    run_scoring()
    body = alice_client.get(reverse("portal")).content.decode()
    assert "My housing" in body and application.get_absolute_url() in body
    assert "position 1 out of 1" in body
