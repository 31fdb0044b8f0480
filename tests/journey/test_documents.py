import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from journey.models import Document
from tests.journey.factories import PDF_BYTES, image_bytes, make_newcomer_project, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(alice, referent):
    return make_newcomer_project(newcomer=alice, referent=referent)


def upload(client, file, kind="cv"):
    return client.post(reverse("journey:upload"), {"kind": kind, "file": file})


def test_a_newcomer_sends_a_real_pdf(alice_client, project):
    response = upload(alice_client, pdf_upload("cv.pdf"))

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.project, document.kind, document.status) == (project, "cv", Document.Status.PENDING)
    assert document.content_type == "application/pdf"
    assert document.file.read() == PDF_BYTES


def test_a_real_image_is_accepted_and_reencoded(alice_client, project):
    response = upload(alice_client, SimpleUploadedFile("piece.png", image_bytes("PNG"), content_type="image/png"))

    assert response.status_code == 302
    assert Document.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00 this is an executable", "ni un PDF ni une image"),
        ("photo.png", b"GIF89a not really", "ni un PDF ni une image"),
        ("cv.pdf", b"<html><body>%PDF-1.4 %%EOF", "ni un PDF ni une image"),
    ],
)
def test_a_document_that_is_not_what_it_claims_is_refused_and_nothing_written(
    alice_client, project, name, content, message
):
    response = upload(alice_client, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "stored_as", "content_type"),
    [
        ("cv.html", PDF_BYTES, "cv.pdf", "application/pdf"),
        ("cv.exe", PDF_BYTES, "cv.pdf", "application/pdf"),
        ("photo.jpg", image_bytes("PNG"), "photo.png", "image/png"),
    ],
)
def test_a_document_is_stored_and_served_under_the_type_its_bytes_prove(
    alice_client, project, name, content, stored_as, content_type
):
    response = upload(alice_client, SimpleUploadedFile(name, content, content_type="text/html"))

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.original_name, document.content_type) == (stored_as, content_type)
    assert document.file.name.endswith(stored_as[-4:])
    served = alice_client.get(reverse("journey:document-file", args=[document.pk]))
    assert served["Content-Type"] == content_type and stored_as in served["Content-Disposition"]


def test_a_too_large_file_is_refused(alice_client, project, settings):
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    response = upload(alice_client, pdf_upload("big.pdf", big))
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_the_file_is_served_to_its_owner_and_staff_only(alice_client, client, bob, referent, project):
    upload(alice_client, pdf_upload())
    url = reverse("journey:document-file", args=[Document.objects.get().pk])

    response = alice_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")

    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(referent)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_staff_refuse_a_document_with_a_reason_and_the_newcomer_is_told(
    alice_client, client, referent, project, mailoutbox, django_capture_on_commit_callbacks
):
    upload(alice_client, pdf_upload())
    document = Document.objects.get()
    client.force_login(referent)
    url = reverse("journey:document-review", args=[document.pk])

    client.post(url, {"action": "refuse", "reason": ""})
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "refuse", "reason": "Le CV est illisible : envoyez un PDF."})

    document.refresh_from_db()
    assert document.status == Document.Status.REFUSED
    assert document.reviewed_by == referent
    assert len(mailoutbox) == 1
    assert "illisible" in mailoutbox[0].body
    client.force_login(document.project.newcomer)
    page = client.get(reverse("journey:mine")).content.decode()
    assert "illisible" in page


def test_staff_validate_a_document(alice_client, client, referent, project):
    upload(alice_client, pdf_upload())
    document = Document.objects.get()
    client.force_login(referent)

    client.post(reverse("journey:document-review", args=[document.pk]), {"action": "validate"})

    document.refresh_from_db()
    assert document.status == Document.Status.VALIDATED


def test_a_newcomer_cannot_review_documents(alice_client, project):
    upload(alice_client, pdf_upload())
    document = Document.objects.get()
    response = alice_client.post(reverse("journey:document-review", args=[document.pk]), {"action": "validate"})
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING
