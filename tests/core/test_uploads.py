"""core.uploads and core.storage: what every upload path and private download relies on."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from core import uploads
from core.storage import PrivateMemoryStorage, PrivateStorage, get_private_storage, serve_private_file

GPS = 0x8825
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload(data, name="file.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


def encoded(fmt="PNG", size=(300, 200), mode="RGB", **save):
    image = Image.new(mode, size, "white")
    ImageDraw.Draw(image).rectangle((10, 10, 60, 40), fill="black")
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def with_gps(fmt="PNG", orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS] = {1: "N", 2: (44.0, 58.0, 12.0)}
    if orientation:
        exif[0x0112] = orientation
    return encoded(fmt, exif=exif)


def png_header_claiming(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def code_of(call, *args, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(*args, **kwargs)
    return error.value.code


# Images ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_an_image_with_gps_exif_comes_out_without_it(fmt):
    data = with_gps(fmt)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS)

    stored = uploads.reencode(uploads.check_image(upload(data, f"photo.{fmt.lower()}"))).read()

    clean = Image.open(io.BytesIO(stored))
    assert clean.format == fmt and clean.size == (300, 200)
    assert not clean.getexif() and b"PhoneMaker" not in stored


def test_text_chunks_and_bytes_hidden_after_the_image_are_dropped():
    info = PngInfo()
    info.add_text("Author", "Jeanne Secret")
    data = encoded(pnginfo=info) + b"<script>alert(1)</script>"

    stored = uploads.reencode(uploads.check_image(upload(data))).read()

    assert b"Jeanne Secret" not in stored and b"<script>" not in stored


def test_a_sideways_phone_photo_is_turned_upright_before_its_orientation_tag_is_dropped():
    image = uploads.check_image(upload(with_gps("JPEG", orientation=6), "photo.jpg"))
    stored = Image.open(uploads.reencode(image))
    assert stored.size == (200, 300)


def test_reencode_bounds_the_longest_side_and_can_change_the_format():
    image = uploads.check_image(upload(encoded(size=(3000, 1000), mode="RGBA")))
    result = uploads.reencode(image, format="JPEG", max_side=1500, name="salle")
    assert result.name == "salle.jpg" and result.content_type == "image/jpeg"
    assert Image.open(result).size == (1500, 500)


def test_process_photo_gives_the_picture_and_its_thumbnail_named_after_the_upload():
    photo, thumb = uploads.process_photo(upload(encoded(size=(2400, 1600)), "Salle du conseil.png"))
    assert (photo.name, thumb.name) == ("Salle du conseil.png", "Salle du conseil-thumb.png")
    assert Image.open(photo).size == (2000, 1333)
    assert Image.open(thumb).size == (480, 320)


def test_a_decompression_bomb_is_refused_from_its_header_without_being_decoded():
    # 50 megapixels claimed in a file of a few dozen bytes: the explicit pixel check refuses it.
    assert code_of(uploads.check_image, upload(png_header_claiming(10_000, 5_000))) == "too_many_pixels"
    # 10 gigapixels: Pillow itself raises DecompressionBombError while reading the header.
    huge = upload(png_header_claiming(100_000, 100_000))
    assert code_of(uploads.check_image, huge, max_pixels=10**11) == "too_many_pixels"


def test_a_real_image_with_more_pixels_than_allowed_is_refused():
    assert code_of(uploads.check_image, upload(encoded(size=(101, 100))), max_pixels=10_000) == "too_many_pixels"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"just text, named .png", "invalid"),
        (b"<svg onload=alert(1)>", "invalid"),
        (encoded()[:150], "invalid"),  # cut in the middle
        (encoded("GIF"), "format"),
        (encoded("BMP"), "format"),
    ],
    ids=["empty", "text", "svg", "truncated", "gif", "bmp"],
)
def test_what_is_not_an_allowed_readable_image_is_refused(data, code):
    assert code_of(uploads.check_image, upload(data)) == code


def test_a_caller_can_narrow_the_formats_and_the_size():
    assert code_of(uploads.check_image, upload(encoded("JPEG")), formats=("PNG",)) == "format"
    assert code_of(uploads.check_image, upload(encoded()), max_bytes=100) == "too_large"


def test_the_messages_say_what_to_do_in_french():
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            uploads.check_image(upload(encoded() + b"\0" * 6 * uploads.MB))
        assert error.value.messages == [
            "Le fichier dépasse 5 Mo : réduisez sa résolution ou compressez-le, puis envoyez-le de nouveau."
        ]


# PDF and supporting documents --------------------------------------------------------------------


def test_a_real_pdf_is_accepted_as_sent_with_its_proven_type():
    checked = uploads.check_pdf(SimpleUploadedFile("scan.pdf", PDF, content_type="text/html"))
    assert checked.read() == PDF and checked.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<html><body>" + PDF, "not_pdf"),
        (b"\r\n \t" + PDF, "not_pdf"),  # leading blank bytes: a browser may sniff what follows
        (b"Just a letter renamed .pdf", "not_pdf"),
        (b"PK\x03\x04" + b"\0" * 40, "not_pdf"),
        (PDF[:40], "damaged_pdf"),  # cut before its end-of-file marker
        (b"", "empty"),
    ],
    ids=["html-first", "whitespace-first", "text", "zip", "truncated", "empty"],
)
def test_a_fake_or_broken_pdf_is_refused(data, code):
    assert code_of(uploads.check_pdf, SimpleUploadedFile("dossier.pdf", data)) == code


def test_a_pdf_over_the_limit_is_refused():
    big = PDF[:-6] + b"0" * (uploads.DOCUMENT_MAX_BYTES) + b"%%EOF\n"
    assert code_of(uploads.check_pdf, SimpleUploadedFile("big.pdf", big)) == "too_large"


def test_a_document_photographed_with_a_phone_is_stored_reencoded_without_its_gps_position():
    stored = uploads.check_document(SimpleUploadedFile("carte-identite.jpg", with_gps("JPEG")))
    assert stored.content_type == "image/jpeg" and stored.name == "carte-identite.jpg"
    assert not Image.open(stored).getexif()


def test_a_document_that_is_neither_a_pdf_nor_an_image_is_refused():
    for data in (b"MZ\x90\x00 an executable", encoded("GIF"), b"<html></html>"):
        assert code_of(uploads.check_document, SimpleUploadedFile("dossier.pdf", data)) == "invalid_type"
    bomb = SimpleUploadedFile("scan.png", png_header_claiming(10_000, 5_000))
    assert code_of(uploads.check_document, bomb) == "too_many_pixels"


@pytest.mark.parametrize(
    ("name", "data", "stored_as", "content_type"),
    [
        ("rapport.html", PDF, "rapport.pdf", "application/pdf"),  # a PDF polyglot a browser would render
        ("scan.png", PDF, "scan.pdf", "application/pdf"),
        ("scan.pdf.html", PDF, "scan.pdf", "application/pdf"),
        ("photo.pdf", encoded("PNG"), "photo.png", "image/png"),
        ("photo.jpg", encoded("WEBP"), "photo.webp", "image/webp"),
        (".html", PDF, "html.pdf", "application/pdf"),
        ("...", PDF, "document.pdf", "application/pdf"),
    ],
)
def test_the_stored_name_and_type_come_from_the_bytes_never_from_the_name_sent(name, data, stored_as, content_type):
    stored = uploads.check_document(SimpleUploadedFile(name, data, content_type="text/html"))
    assert (stored.name, stored.content_type) == (stored_as, content_type)


def test_a_type_the_caller_does_not_allow_is_refused_whatever_its_name():
    assert code_of(uploads.check_document, SimpleUploadedFile("scan.pdf", encoded("PNG")), formats=("PDF",)) == (
        "invalid_type"
    )
    assert code_of(uploads.check_document, SimpleUploadedFile("photo.png", PDF), formats=("PNG",)) == "invalid_type"
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        uploads.check_document(SimpleUploadedFile("photo.png", PDF), formats=("PNG",))
    assert error.value.messages == ["Seuls les fichiers de ces types sont acceptés\u00a0: PNG."]


def _document_forms():
    from housing.forms import DocumentForm as HousingDocumentForm
    from impact.forms import ExpenseForm
    from journey.forms import DocumentForm as JourneyDocumentForm
    from telecentre.training.admin import DistanceActivityForm
    from telecentre.training.forms import CorrectionForm

    return [
        (HousingDocumentForm, "file"),
        (JourneyDocumentForm, "file"),
        (ExpenseForm, "invoice"),
        (CorrectionForm, "evidence"),
        (DistanceActivityForm, "evidence"),
    ]


@pytest.mark.parametrize(("form_class", "field"), _document_forms())
def test_every_document_upload_form_takes_the_one_path(form_class, field):
    form = form_class()
    form.cleaned_data = {field: SimpleUploadedFile("facture.html", PDF, content_type="text/html")}
    cleaned = getattr(form, f"clean_{field}")()
    assert (cleaned.name, cleaned.content_type) == ("facture.pdf", "application/pdf")
    form.cleaned_data = {field: SimpleUploadedFile("facture.pdf", b"<html><script>alert(1)</script>")}
    with pytest.raises(ValidationError):
        getattr(form, f"clean_{field}")()


# Private storage and downloads -------------------------------------------------------------------


def test_the_production_private_storage_has_no_url(tmp_path):
    with pytest.raises(ValueError):
        PrivateStorage(location=tmp_path).url("housing/documents/carte.pdf")


def test_the_private_storage_in_tests_has_no_url_and_the_fields_follow_it():
    assert isinstance(storages["private"], PrivateMemoryStorage)
    name = get_private_storage().save("journey/cv.pdf", ContentFile(PDF))
    assert storages["private"].exists(name)
    with pytest.raises(ValueError):
        get_private_storage().url(name)


@pytest.mark.parametrize(("inline", "disposition"), [(False, "attachment"), (True, "inline")])
def test_a_stored_private_file_is_served_never_cached_nor_sniffed(inline, disposition):
    storage = get_private_storage()
    name = storage.save("impact/facture.pdf", ContentFile(PDF))
    file = storage.open(name)

    response = serve_private_file(file, filename="Facture n°3.pdf", content_type="application/pdf", inline=inline)

    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)
    assert "filename*=utf-8''Facture%20n%C2%B03.pdf" in response["Content-Disposition"]


def test_pdf_bytes_made_on_the_fly_are_served_the_same_way():
    response = serve_private_file(PDF, filename="certificat.pdf", content_type="application/pdf", inline=True)
    assert response.content == PDF
    assert response["Content-Disposition"] == 'inline; filename="certificat.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
