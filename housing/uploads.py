"""Checks on uploaded files: the content must really be what it claims, and small enough.

A supporting document is a PDF (its first bytes are the PDF signature) or an
image Pillow can open and verify (JPEG, PNG, WebP). The extension and the
browser's content type are not trusted.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _read(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


def image_format(data):
    """The Pillow format of `data` if it is a real, verifiable image in an allowed format, else None."""
    try:
        with Image.open(BytesIO(data)) as image:
            fmt = image.format
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image is too large: use a picture under 40 megapixels."), code="pixels")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return fmt if fmt in IMAGE_FORMATS else None


def validate_document(uploaded):
    """Return the real content type of an uploaded supporting document, or raise ValidationError."""
    if uploaded.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is larger than 5 MB: scan it at a lower resolution or compress it."), code="too_large"
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    data = _read(uploaded)
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return "application/pdf"
    fmt = image_format(data)
    if fmt is not None:
        return IMAGE_FORMATS[fmt]
    raise ValidationError(
        _("This file is neither a PDF nor a JPEG, PNG or WebP image: send a PDF or a photo of the document."),
        code="invalid_type",
    )
