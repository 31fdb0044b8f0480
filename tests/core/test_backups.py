"""manage.py backup and restore: a site is dumped, wiped and restored, on the disk and on an object store;
every table gets its rows back and a private document its bytes (pg_dump/pg_restore on PostgreSQL, SQLite's
backup API on SQLite)."""

import stat
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import backups
from journey.models import Document
from tests.coworking.factories import make_space
from tests.journey.factories import PDF_BYTES, make_newcomer_project, pdf_upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["disk", "object store"])
def file_storages(request, settings, tmp_path):
    if request.param == "object store":
        return request.getfixturevalue("object_store")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "m"}},
        "private": {"BACKEND": "core.storage.PrivateStorage", "OPTIONS": {"location": tmp_path / "private"}},
    }
    return None


def wipe():
    call_command("flush", interactive=False, verbosity=0)
    for alias in backups.FILE_STORAGES:
        for name in backups.stored_names(storages[alias]):
            storages[alias].delete(name)


def test_a_wiped_site_comes_back_whole_from_its_backup(file_storages, alice, alice_client, referent, tmp_path):
    make_newcomer_project(newcomer=alice, referent=referent)
    assert alice_client.post(reverse("journey:upload"), {"kind": "cv", "file": pdf_upload("cv.pdf")}).status_code == 302
    space = make_space(name="Open space du Lioran", slug="lioran")
    space.photo.save("lioran.webp", ContentFile(b"RIFF-webp-bytes"), save=True)
    document = Document.objects.get()
    before = backups.row_counts()
    archive = tmp_path / "backup.tar"

    call_command("backup", str(archive), verbosity=0)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data: its owner alone reads it
    with tarfile.open(archive) as contents:
        assert f"files/private/{document.file.name}" in contents.getnames()
    wipe()
    assert not Document.objects.exists() and backups.stored_names(storages["private"]) == []

    call_command("restore", str(archive), "--no-input", verbosity=0)

    assert backups.row_counts() == before
    assert before["journey_document"] == 1 and before["accounts_user"] >= 2
    restored = Document.objects.get()
    with storages["private"].open(restored.file.name, "rb") as handle:
        assert handle.read() == PDF_BYTES
    alice_client.force_login(alice)
    response = alice_client.get(reverse("journey:document-file", args=[restored.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES
    with storages["default"].open(space.photo.name, "rb") as handle:
        assert handle.read() == b"RIFF-webp-bytes"


def test_a_file_that_is_not_a_backup_is_refused_before_anything_is_touched(alice, tmp_path):
    bogus = tmp_path / "notes.tar"
    bogus.write_bytes(b"not a tar archive")
    with pytest.raises(CommandError, match="not an archive"):
        call_command("restore", str(bogus), "--no-input")
    assert backups.row_counts()["accounts_user"] == 1
