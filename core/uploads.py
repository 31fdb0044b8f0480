"""Uploaded files are judged by their bytes, never by their name or the browser's claim.

An image must be one Pillow opens and verifies, in an allowed format, small enough on disk and in
pixels. The pixel count is read from the header and checked before anything is decoded, so a
decompression bomb (a small file claiming billions of pixels) is refused without being expanded.
What is stored is re-encoded from the pixels alone: EXIF (GPS position, camera, date), XMP, ICC
profiles, text chunks and anything appended after the image data are all dropped.

A PDF must start with the PDF signature (no leading HTML or blank lines a browser could sniff)
and end with its end-of-file marker. A supporting document is either, and `check_document` is the one
path every app's document upload takes: the stored name's extension and the content type come from
the bytes, never from the name sent (a PDF named `.html` is stored and served as a `.pdf`).

The limits below are the shared defaults; a caller passes its own where it has a reason to.
"""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MB = 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * MB
PHOTO_MAX_BYTES = 5 * MB
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
DOCUMENT_FORMATS = ("PDF", *IMAGE_FORMATS)
THUMBNAIL_SIZE = (480, 320)
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "PDF": "pdf"}
PDF_CONTENT_TYPE = "application/pdf"
_SAVE_OPTIONS = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}
# Pillow's errors for a file that is not, or not entirely, a readable image.
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError)


def _check_size(upload, max_bytes):
    if upload.size == 0:
        raise ValidationError(_("The file is empty: choose the file again."), code="empty")
    if upload.size > max_bytes:
        size = number_format(max_bytes / MB, decimal_pos=0 if max_bytes % MB == 0 else 1)
        raise ValidationError(
            _("The file is larger than %(size)s MB: reduce its resolution or compress it, then send it again."),
            code="too_large",
            params={"size": size},
        )


def _too_many_pixels(max_pixels):
    return ValidationError(
        _("The image has too many pixels (%(megapixels)s megapixels at most): reduce its resolution."),
        code="too_many_pixels",
        params={"megapixels": number_format(max_pixels / 1_000_000, decimal_pos=0 if max_pixels >= 10**6 else 1)},
    )


def check_image(upload, *, max_bytes=PHOTO_MAX_BYTES, max_pixels=MAX_PIXELS, formats=IMAGE_FORMATS):
    """The upload opened and decoded as a Pillow image, or ValidationError saying what to send instead."""
    _check_size(upload, max_bytes)
    unreadable = ValidationError(
        _("This file is not a JPEG, PNG or WebP photo we can read: save it in one of these formats and send it again."),
        code="invalid",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:  # reads the header only
            kind, (width, height) = probe.format, probe.size
            if kind not in formats:
                raise ValidationError(
                    _("Images are accepted in these formats only: %(formats)s."),
                    code="format",
                    params={"formats": ", ".join(formats)},
                )
            if width * height > max_pixels:
                raise _too_many_pixels(max_pixels)
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except _UNREADABLE:
        raise unreadable from None
    finally:
        upload.seek(0)
    return image


def _encode(image, fmt, box, name):
    fmt = fmt or image.format
    image = ImageOps.exif_transpose(image)  # a copy, turned upright, so the orientation tag is not needed
    if box:
        image.thumbnail(box)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A new image built from the raw pixels carries no EXIF, XMP, ICC profile or text chunk.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format=fmt, **_SAVE_OPTIONS.get(fmt, {}))
    encoded = ContentFile(buffer.getvalue(), name=f"{name}.{EXTENSIONS.get(fmt, fmt.lower())}")
    encoded.content_type = CONTENT_TYPES.get(fmt, "application/octet-stream")
    return encoded


def reencode(image, *, format=None, max_side=None, name="image"):
    """A ContentFile of the image's pixels only, upright, in `format` (default: its own), within max_side.

    Its `content_type` attribute names the format it was encoded in.
    """
    return _encode(image, format, (max_side, max_side) if max_side else None, name)


def thumbnail(image, *, size=THUMBNAIL_SIZE, format=None, name="thumbnail"):
    """A ContentFile of the image reduced to fit `size` (width, height), re-encoded like `reencode`."""
    return _encode(image, format, size, name)


def process_photo(upload, *, name=None, format=None, max_side=2000, thumbnail_size=THUMBNAIL_SIZE, **limits):
    """(photo, thumbnail) ContentFiles for a picture shown on public pages, or ValidationError.

    `limits` are check_image's max_bytes, max_pixels and formats.
    """
    image = check_image(upload, **limits)
    name = name or Path(upload.name or "photo").stem[:50] or "photo"
    return (
        reencode(image, format=format, max_side=max_side, name=name),
        thumbnail(image, size=thumbnail_size, format=format, name=f"{name}-thumb"),
    )


def check_pdf(upload, *, max_bytes=DOCUMENT_MAX_BYTES):
    """The upload, if it is a complete PDF within max_bytes, its `content_type` set to PDF; else ValidationError."""
    _check_size(upload, max_bytes)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(max(0, upload.size - 1024))
    tail = upload.read()
    upload.seek(0)
    # Exactly at the start: with HTML or blank lines first, a browser may sniff the file as a page.
    if head != b"%PDF-":
        raise ValidationError(
            _("This file is not a PDF document: export or scan it as a PDF and send it again."), code="not_pdf"
        )
    if b"%%EOF" not in tail:
        raise ValidationError(
            _("This PDF is incomplete or damaged: export it again and send the new file."), code="damaged_pdf"
        )
    upload.content_type = PDF_CONTENT_TYPE
    return upload


def _stem(name, default="document"):
    """The sent name without any extension it claims ("scan.pdf.html" claims two)."""
    stem = Path(name or "").name
    while Path(stem).suffix:
        stem = Path(stem).stem
    return stem.strip(". ")[:80] or default


def check_document(upload, *, max_bytes=DOCUMENT_MAX_BYTES, max_pixels=MAX_PIXELS, formats=DOCUMENT_FORMATS):
    """A document ready to store: the PDF as sent, or the image re-encoded without its metadata.

    The one upload path for documents of every app. The returned file's name ends in the extension of
    the type its bytes prove and its `content_type` is that type, whatever name or type the browser
    sent: a PDF named `.html` or `.png` is stored and served as `.pdf`. A type outside `formats` is refused.
    """
    _check_size(upload, max_bytes)
    upload.seek(0)
    is_pdf = upload.read(5) == b"%PDF-"
    upload.seek(0)
    if is_pdf and "PDF" in formats:
        checked = check_pdf(upload, max_bytes=max_bytes)
        checked.name = f"{_stem(upload.name)}.{EXTENSIONS['PDF']}"
        return checked
    image_formats = tuple(f for f in formats if f != "PDF")
    try:
        if is_pdf or not image_formats:
            raise ValidationError("", code="format")
        image = check_image(upload, max_bytes=max_bytes, max_pixels=max_pixels, formats=image_formats)
    except ValidationError as error:
        if error.code not in ("invalid", "format"):
            raise
        if formats == DOCUMENT_FORMATS:
            message = _(
                "This file is neither a PDF nor a JPEG, PNG or WebP image: send a PDF or a photo of the document."
            )
        else:
            message = _("Files of these types only are accepted: %(formats)s.")
        raise ValidationError(message, code="invalid_type", params={"formats": ", ".join(formats)}) from None
    return reencode(image, name=_stem(upload.name))
