"""Uploaded pictures (speaker photos, exhibitor logos): validated, re-encoded without metadata, thumbnailed."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_SIDE = 1600
THUMBNAIL_SIDE = 320


def validate(upload):
    """Raise ValidationError unless upload is a JPEG, PNG or WebP picture of reasonable size."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The picture is too large: send a file under 5 MB."), code="too_large")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture we can read: send a JPEG, PNG or WebP."), code="invalid"
        ) from None
    finally:
        upload.seek(0)
    if kind not in ALLOWED_FORMATS:
        raise ValidationError(_("Send the picture as JPEG, PNG or WebP."), code="format")
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The picture has too many pixels: send a smaller one."), code="too_many_pixels")
    return kind


def _encode(image, kind, stem, suffix=""):
    buffer = io.BytesIO()
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Saving a fresh copy without `exif` or `info` drops GPS position, camera and comments.
    image.save(buffer, format=kind, quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{stem}{suffix}.{ALLOWED_FORMATS[kind]}")


def process(upload):
    """(picture, thumbnail) as ContentFiles: validated, upright, bounded in size, metadata stripped."""
    kind = validate(upload)
    stem = Path(upload.name).stem[:40] or "image"
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.load()
    upload.seek(0)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    # A new image from the raw pixels carries no EXIF, XMP, ICC or text chunks.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    thumb = clean.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return _encode(clean, kind, stem), _encode(thumb, kind, stem, "-thumb")
