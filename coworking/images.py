"""Space photos: check they are real JPEG/PNG/WebP images of sane size, strip metadata, make a thumbnail."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
THUMBNAIL_SIZE = (480, 320)


def validate_photo(upload):
    """Raise ValidationError unless upload is an allowed image within the limits."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is too large: 5 MB at most."), code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        message = _("This file is not a readable image: send a JPEG, PNG or WebP photo.")
        raise ValidationError(message, code="invalid") from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Send a JPEG, PNG or WebP photo."), code="format")
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The photo has too many pixels: 25 megapixels at most."), code="too_many_pixels")


def _encode(image, name, size=None):
    image = ImageOps.exif_transpose(image)
    if size:
        image.thumbnail(size)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    output = BytesIO()
    # WebP keeps transparency, drops EXIF and GPS: nothing but pixels is kept.
    image.save(output, format="WEBP", quality=85)
    return ContentFile(output.getvalue(), name=f"{name}.webp")


def clean_photo(upload, name):
    """(photo, thumbnail) re-encoded without metadata, from a validated upload."""
    validate_photo(upload)
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        return _encode(image, name), _encode(image, f"{name}-thumb", THUMBNAIL_SIZE)
