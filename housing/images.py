"""Unit photos: checked with Pillow, re-encoded without metadata, with a thumbnail."""

from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from housing.uploads import image_format

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_SIDE = 2000
THUMBNAIL_SIZE = (480, 320)


def _encode(image, fmt):
    buffer = BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def process_photo(uploaded):
    """(image file, thumbnail file) ready for ImageFields, or ValidationError for a bad upload."""
    if uploaded.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 8 MB: send a smaller picture."), code="too_large")
    uploaded.seek(0)
    data = uploaded.read()
    fmt = image_format(data)
    if fmt is None:
        raise ValidationError(_("This file is not a JPEG, PNG or WebP photo."), code="invalid_image")
    with Image.open(BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if image.mode not in ("RGB", "RGBA", "L"):
            image = image.convert("RGBA")
        # Re-encoding from pixels drops EXIF (GPS position, camera) and any trailing payload.
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        thumb = clean.copy()
        thumb.thumbnail(THUMBNAIL_SIZE)
        stem = Path(uploaded.name).stem[:50] or "photo"
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
        return (
            ContentFile(_encode(clean, fmt), name=f"{stem}.{extension}"),
            ContentFile(_encode(thumb, fmt), name=f"{stem}-thumb.{extension}"),
        )
