"""Every upload path of the site: only real images or PDFs of allowed types and sizes, decompression bombs
refused, images re-encoded without their metadata, private documents never reachable by a public URL.

Every app checks its uploads with `core.uploads`, with its own limits; each upload path is exercised
here through the same small adapter, which calls the app's form or function as the app does:
`accept(name, data)` returns the bytes the app would store, or raises ValidationError.
"""

import base64
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from core.storage import PrivateStorage
from coworking.forms import SpaceAdminForm
from forum.forms import SpeakerAdminForm
from housing.forms import DocumentForm as HousingDocumentForm
from housing.forms import UnitPhotoForm
from impact.forms import ExpenseForm
from journey.forms import DocumentForm as JourneyDocumentForm
from telecentre import settings as production_settings
from telecentre.training import signatures
from telecentre.training.models import Attendance
from tests.security.personas import make_personas
from tests.security.world import build_world

SECRET = b"secret-metadata-48.8566N"
PAYLOAD = b"<script>alert('polyglot')</script>"


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def read(file):
    file.seek(0)
    return file.read()


def cleaned(form, field, *, data=None):
    """What the form's clean_<field> would store, or the ValidationError it raised."""
    form.cleaned_data = {**(data or {}), field: form.files[field]}
    return getattr(form, f"clean_{field}")()


def processed(form, field):
    """The (picture, thumbnail) an admin image form would store, or its ValidationError."""
    form.cleaned_data = {field: form.files[field]}
    form._errors = {}
    form.clean()
    if form._errors:
        raise ValidationError(form._errors[field])
    return form.processed


def forum_picture(name, data):
    return read(processed(SpeakerAdminForm(files={"photo": upload(name, data)}), "photo")[0])


def coworking_photo(name, data):
    form = SpaceAdminForm(files={"photo": upload(name, data)})
    cleaned(form, "photo", data={"slug": "space"})
    return read(form.cleaned_photo[0])


def housing_photo(name, data):
    form = UnitPhotoForm(files={"image": upload(name, data)})
    cleaned(form, "image")
    return read(form.processed[0])


def housing_document(name, data):
    return read(cleaned(HousingDocumentForm(files={"file": upload(name, data)}), "file"))


def journey_document(name, data):
    return read(cleaned(JourneyDocumentForm(files={"file": upload(name, data)}), "file"))


def training_signature(name, data):
    return read(signatures.decode_signature("data:image/png;base64," + base64.b64encode(data).decode()))


IMAGE_PATHS = {
    "forum speaker photo / exhibitor logo": forum_picture,
    "coworking space photo": coworking_photo,
    "housing unit photo": housing_photo,
    "housing supporting document": housing_document,
    "journey document": journey_document,
    "training drawn signature": training_signature,
}
DOCUMENT_PATHS = {"housing supporting document": housing_document, "journey document": journey_document}
PHOTOS = {name: accept for name, accept in IMAGE_PATHS.items() if accept is not training_signature}
ids = list


def picture(fmt="PNG", size=(240, 100), mode="RGB", metadata=True):
    """A small drawing (with ink, as a signature needs) carrying metadata that must not survive."""
    image = Image.new(mode, size, "white")
    ImageDraw.Draw(image).line((10, 80, 120, 20, 230, 90), fill="black", width=6)
    out = io.BytesIO()
    if fmt == "PNG":
        info = PngInfo()
        if metadata:
            info.add_text("Comment", SECRET.decode())
        image.save(out, format="PNG", pnginfo=info)
    else:
        exif = Image.Exif()
        if metadata:
            exif[0x010F] = SECRET.decode()  # camera make
            exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS position
        image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def big_png(width, height):
    """A real 1-bit PNG with many pixels, a few kilobytes on disk."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


def bomb_png(width=100_000, height=100_000):
    """A PNG whose header claims 10 gigapixels: opening it must not try to allocate them."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 4096))
        + chunk(b"IEND", b"")
    )


def refused(accept, name, data):
    with pytest.raises(ValidationError):
        accept(name, data)
    return True


# Images -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", IMAGE_PATHS.values(), ids=ids(IMAGE_PATHS))
def test_a_real_png_is_accepted(accept):
    assert Image.open(io.BytesIO(accept("drawing.png", picture()))).size == (240, 100)


@pytest.mark.parametrize("accept", IMAGE_PATHS.values(), ids=ids(IMAGE_PATHS))
def test_an_image_is_reencoded_without_its_metadata_or_a_hidden_payload(accept):
    stored = accept("drawing.png", picture() + PAYLOAD)
    assert SECRET not in stored and PAYLOAD not in stored
    assert not Image.open(io.BytesIO(stored)).info.get("Comment")


@pytest.mark.parametrize("accept", PHOTOS.values(), ids=ids(PHOTOS))
def test_a_photo_loses_its_camera_and_gps_exif(accept):
    stored = accept("photo.jpg", picture("JPEG"))
    assert SECRET not in stored
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(0x8825)


def test_a_housing_document_photographed_with_a_phone_loses_its_gps_position():
    stored = housing_document("carte.jpg", picture("JPEG"))
    assert SECRET not in stored
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(0x8825)


@pytest.mark.parametrize("accept", IMAGE_PATHS.values(), ids=ids(IMAGE_PATHS))
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.png", b"just some text, not an image"),
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("animation.png", None),  # a real GIF: not an allowed format
        ("truncated.png", None),  # a PNG cut in the middle
        ("empty.png", b""),
    ],
    ids=["text", "html", "gif", "truncated", "empty"],
)
def test_what_is_not_an_allowed_image_is_refused(accept, name, data):
    if name == "animation.png":
        out = io.BytesIO()
        Image.new("RGB", (40, 40)).save(out, format="GIF")
        data = out.getvalue()
    elif name == "truncated.png":
        data = picture()[:200]
    if accept in DOCUMENT_PATHS.values() and name == "notes.png":
        name = "notes.pdf"
    assert refused(accept, name, data)


@pytest.mark.parametrize("accept", IMAGE_PATHS.values(), ids=ids(IMAGE_PATHS))
def test_a_decompression_bomb_is_refused_without_being_decoded(accept):
    assert refused(accept, "bomb.png", bomb_png())


@pytest.mark.parametrize(
    ("accept", "pixels_over_the_limit"),
    [
        (forum_picture, (8100, 5000)),  # 40.5 Mpx > 40
        (coworking_photo, (8100, 5000)),
        (housing_photo, (8100, 5000)),
        (housing_document, (8100, 5000)),
        (journey_document, (8100, 5000)),
        (training_signature, (1201, 600)),
    ],
    ids=ids(IMAGE_PATHS),
)
def test_an_image_with_too_many_pixels_is_refused(accept, pixels_over_the_limit):
    assert refused(accept, "huge.png", big_png(*pixels_over_the_limit))


@pytest.mark.parametrize("accept", IMAGE_PATHS.values(), ids=ids(IMAGE_PATHS))
def test_a_file_over_the_size_limit_is_refused(accept):
    assert refused(accept, "heavy.png", picture() + b"\0" * (10 * 1024 * 1024 + 1))


# Documents (PDF) --------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("accept", DOCUMENT_PATHS.values(), ids=ids(DOCUMENT_PATHS))
def test_a_real_pdf_is_accepted(accept):
    assert accept("dossier.pdf", PDF) == PDF


@pytest.mark.parametrize("accept", DOCUMENT_PATHS.values(), ids=ids(DOCUMENT_PATHS))
@pytest.mark.parametrize(
    "data",
    [
        b"This is a letter saved as text, renamed .pdf",
        b"<html><body onload=alert(1)>" + PDF,  # HTML first, PDF after: a browser would sniff it as HTML
        b"MZ\x90\x00\x03" + b"\0" * 60 + b"This program cannot be run in DOS mode",
        b"PK\x03\x04" + b"\0" * 100,  # a ZIP (or .docx)
    ],
    ids=["text", "html-polyglot", "executable", "zip"],
)
def test_a_fake_pdf_is_refused(accept, data):
    assert refused(accept, "dossier.pdf", data)


@pytest.mark.django_db
def test_an_expense_invoice_must_be_a_real_pdf_or_image():
    fields = {"label": "Fibre", "category": "equipment", "amount": "120", "invoice_date": "2026-03-02"}
    form = ExpenseForm(fields, {"invoice": upload("facture.pdf", b"<html><script>alert(1)</script>")})
    assert not form.is_valid() and "invoice" in form.errors
    form = ExpenseForm(fields, {"invoice": upload("facture.pdf", PDF)})
    form.is_valid()
    assert "invoice" not in form.errors


# Private storage --------------------------------------------------------------------------------

# Pictures shown on public pages (spaces, units, speakers, exhibitors): public media by design.
PUBLIC_FILES = {
    "coworking.Space.photo",
    "coworking.Space.thumbnail",
    "housing.UnitPhoto.image",
    "housing.UnitPhoto.thumbnail",
    "forum.Speaker.photo",
    "forum.Speaker.photo_thumbnail",
    "forum.Exhibitor.logo",
    "organisation.Organisation.logo",
    "forum.Exhibitor.logo_thumbnail",
}


def file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.label}.{field.name}", field


def private_file_fields():
    found = dict(file_fields())
    assert set(PUBLIC_FILES) <= set(found), "a public picture field was renamed: update PUBLIC_FILES"
    return {label: field for label, field in found.items() if label not in PUBLIC_FILES}


def test_every_file_field_is_either_a_public_picture_or_in_the_private_storage():
    private = private_file_fields()
    assert len(private) >= 6, private
    for label, field in private.items():
        storage = field.storage
        backend = getattr(storage, "backend", None) or storage._setup() or storage._wrapped
        assert backend is storages["private"], f"{label} is not stored in the private storage"


def test_private_files_live_outside_every_served_directory():
    private = Path(production_settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    static_dirs = [d[1] if isinstance(d, tuple) else d for d in production_settings.STATICFILES_DIRS]
    for served in map(Path, (production_settings.MEDIA_ROOT, production_settings.STATIC_ROOT, *static_dirs)):
        served = served.resolve()
        assert not private.is_relative_to(served) and not served.is_relative_to(private), served


def test_no_template_links_to_a_private_file_by_its_storage_url():
    names = {label.rsplit(".", 1)[1] for label in private_file_fields()}
    for template in Path(settings.BASE_DIR).glob("*/**/templates/**/*.html"):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        text = template.read_text()
        for name in names:
            assert f".{name}.url" not in text, f"{template} links to a private file by its storage URL"


def test_the_private_storage_gives_no_url_at_all(settings):
    """Asking a private file for its URL is an error, so no page can ever link to /media/... for it."""
    settings.STORAGES = production_settings.STORAGES
    assert isinstance(storages["private"], PrivateStorage)
    with pytest.raises((ValueError, NotImplementedError)):
        storages["private"].url("journey/2026/03/identite.pdf")


def test_the_private_storage_of_the_tests_gives_no_url_either():
    with pytest.raises(ValueError):
        storages["private"].url("journey/2026/03/identite.pdf")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs", "content_type"),
    [
        ("journey:document-file", lambda w: {"pk": w.document.pk}, "application/pdf"),
        ("housing:document", lambda w: {"pk": w.housing_document.pk}, "application/pdf"),
        ("housing:letter", lambda w: {"pk": w.letter.pk}, "application/pdf"),
        ("training:certificate-pdf", lambda w: {"pk": w.certificate.pk}, "application/pdf"),
    ],
)
def test_a_private_document_is_served_with_its_real_type_never_cached_or_sniffed(client, name, kwargs, content_type):
    world = build_world(make_personas())
    client.force_login(world.users["alice"])
    response = client.get(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store", name


@pytest.mark.django_db
def test_the_admin_shows_private_files_only_through_the_views_that_check_permissions(admin_client):
    world = build_world(make_personas())
    signature = signatures.decode_signature("data:image/png;base64," + base64.b64encode(picture()).decode())
    world.slot.trainer_signature.save("trainer.png", signature, save=True)
    attendance = Attendance(
        slot=world.slot, enrolment=world.enrolment, status="present", recorded_by=world.users["alice"]
    )
    attendance.signature.save("trainee.png", signature, save=True)
    pages = [
        (
            "admin:journey_document_change",
            world.document.pk,
            reverse("journey:document-file", args=[world.document.pk]),
        ),
        ("admin:housing_notificationletter_change", world.letter.pk, reverse("housing:letter", args=[world.letter.pk])),
        ("admin:impact_expense_change", world.expense.pk, reverse("impact:invoice", args=[world.expense.pk])),
        ("admin:impact_fundingline_change", world.expense.funding_line_id, None),
        ("admin:training_slot_change", world.slot.pk, None),
        ("admin:training_attendance_change", attendance.pk, None),
    ]
    for name, pk, link in pages:
        response = admin_client.get(reverse(name, args=[pk]))
        assert response.status_code == 200, name
        if link:
            assert f'href="{link}"' in response.content.decode(), name
