"""Checks that an uploaded file is what it claims to be: a real PDF or a real image.

The extension and the browser's content type are only claims; the bytes decide.
Images are re-encoded, which drops their metadata (GPS position, camera, author).
"""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
EXTENSIONS = {".pdf": "pdf", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
CONTENT_TYPES = {"pdf": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def content_type_for(name):
    return CONTENT_TYPES.get(EXTENSIONS.get(os.path.splitext(name)[1].lower(), ""), "application/octet-stream")


def checked_upload(upload):
    """Return the file to store (images re-encoded) or raise ValidationError saying what to do."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is too large: %(size)s MB at most. Scan it at a lower resolution or compress it."),
            code="too_large",
            params={"size": MAX_BYTES // (1024 * 1024)},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty: choose the file again."), code="empty")
    claimed = EXTENSIONS.get(os.path.splitext(upload.name)[1].lower())
    if claimed is None:
        raise ValidationError(_("Send a PDF, JPEG, PNG or WebP file."), code="bad_extension")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if claimed == "pdf":
        if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
            raise ValidationError(
                _("This file is named .pdf but is not a PDF document. Export or scan it as a PDF and send it again."),
                code="not_pdf",
            )
        return upload
    return _checked_image(upload, claimed)


def _checked_image(upload, claimed):
    not_image = ValidationError(
        _("This file is not a readable image. Send a photo or scan in JPEG, PNG or WebP, or a PDF."),
        code="not_image",
    )
    try:
        with Image.open(upload) as probe:
            real_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_image from None
    if real_format != claimed:
        raise ValidationError(
            _("This file claims to be a %(claimed)s image but is a %(real)s image: rename it or export it again."),
            code="wrong_image_type",
            params={"claimed": claimed, "real": real_format},
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The image is too large: reduce its resolution."), code="too_many_pixels")
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        if real_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        # Saving without exif/icc drops the metadata.
        image.save(out, format=real_format)
    return SimpleUploadedFile(upload.name, out.getvalue(), content_type=CONTENT_TYPES[real_format])
