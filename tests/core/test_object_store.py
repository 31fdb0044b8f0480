"""Files on an S3-compatible object store (moto's server, over HTTP): public pictures get plain URLs on the
public bucket, private documents go to the private bucket, have no URL at all and are streamed by the views
that check who asks."""

import io
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from core.s3 import PrivateS3Storage
from journey.models import Document
from telecentre import settings as site_settings
from tests.coworking.factories import make_space
from tests.journey.factories import PDF_BYTES, make_newcomer_project, pdf_upload

pytestmark = pytest.mark.django_db


def picture():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "steelblue").save(buffer, format="WEBP")
    return buffer.getvalue()


def test_without_buckets_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("S3_PUBLIC_BUCKET", raising=False)
    monkeypatch.delenv("S3_PRIVATE_BUCKET", raising=False)
    chosen = site_settings.file_storages()
    assert chosen["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert chosen["private"]["BACKEND"] == "core.storage.PrivateStorage"
    assert site_settings.public_files_origins() == []


@pytest.mark.parametrize(
    "buckets",
    [
        {"S3_PUBLIC_BUCKET": "photos"},
        {"S3_PRIVATE_BUCKET": "documents"},
        {"S3_PUBLIC_BUCKET": "same", "S3_PRIVATE_BUCKET": "same"},
    ],
)
def test_one_bucket_for_both_or_a_single_one_is_refused(monkeypatch, buckets):
    monkeypatch.delenv("S3_PUBLIC_BUCKET", raising=False)
    monkeypatch.delenv("S3_PRIVATE_BUCKET", raising=False)
    for name, value in buckets.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match="S3_PRIVATE_BUCKET"):
        site_settings.file_storages()


def test_a_newcomers_document_goes_to_the_private_bucket_and_only_its_owner_and_staff_download_it(
    object_store, alice, alice_client, client, bob, referent
):
    make_newcomer_project(newcomer=alice, referent=referent)
    response = alice_client.post(reverse("journey:upload"), {"kind": "cv", "file": pdf_upload("cv.pdf")})
    assert response.status_code == 302

    document = Document.objects.get()
    assert object_store.keys(object_store.private) == [document.file.name]
    assert object_store.read(object_store.private, document.file.name) == PDF_BYTES
    assert object_store.keys(object_store.public) == []

    url = reverse("journey:document-file", args=[document.pk])
    downloaded = alice_client.get(url)
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == PDF_BYTES
    assert downloaded["Cache-Control"] == "private, no-store"
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(referent)
    assert b"".join(client.get(url).streaming_content) == PDF_BYTES


def test_a_private_file_on_the_object_store_has_no_url_signed_or_not(object_store):
    private = storages["private"]
    assert isinstance(private, PrivateS3Storage)
    name = private.save("journey/2026/03/identite.pdf", ContentFile(PDF_BYTES))
    with pytest.raises(ValueError, match="no URL"):
        private.url(name)
    with private.open(name, "rb") as handle:
        assert handle.read() == PDF_BYTES
    # Even the object's address, guessed by someone, is refused by the store.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{object_store.endpoint}/{object_store.private}/{name}", timeout=10)
    assert refused.value.code == 403


def test_a_second_file_of_the_same_name_never_overwrites_the_first(object_store):
    private = storages["private"]
    first = private.save("housing/documents/avis.pdf", ContentFile(b"%PDF- first"))
    second = private.save("housing/documents/avis.pdf", ContentFile(b"%PDF- second"))
    assert first != second
    assert object_store.read(object_store.private, first) == b"%PDF- first"


def test_a_public_picture_is_on_the_public_bucket_at_a_plain_url_the_page_may_load(object_store, client):
    space = make_space(name="Open space du Lioran", slug="lioran")
    space.photo.save("lioran.webp", ContentFile(picture()), save=True)

    assert object_store.keys(object_store.public) == [space.photo.name]
    url = space.photo.url
    assert url.startswith(f"{object_store.endpoint}/{object_store.public}/") and "Signature" not in url
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.read() == picture()

    page = client.get(reverse("coworking:space", args=[space.slug]))
    assert f'src="{url}"' in page.content.decode()


def test_the_content_security_policy_lets_pages_load_pictures_from_the_public_bucket(monkeypatch):
    monkeypatch.setenv("S3_PUBLIC_BUCKET", "photos")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.fr-par.scw.cloud")
    assert site_settings.public_files_origins() == ["https://s3.fr-par.scw.cloud", "https://photos.s3.fr-par.scw.cloud"]
    monkeypatch.setenv("S3_PUBLIC_DOMAIN", "photos.telecentre.example.fr")
    assert site_settings.public_files_origins() == ["https://photos.telecentre.example.fr"]
