"""Drawn signatures: a PNG data URL from the browser's canvas, checked and re-encoded before it is stored."""

import base64
import binascii

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from core import uploads

PREFIX = "data:image/png;base64,"
# The signature box is a 1200 × 600 canvas at most: anything larger did not come from it.
MAX_BYTES = 300 * 1024
MAX_PIXELS = 1200 * 600
MIN_INK_PIXELS = 40  # fewer drawn pixels than this is a tap, not a signature


def decode_signature(data_url, name="signature.png"):
    """A ContentFile holding a clean PNG of the signature, or ValidationError with what to do."""
    if not data_url or not data_url.startswith(PREFIX):
        raise ValidationError(_("Draw your signature in the box before you confirm."), code="missing")
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > MAX_BYTES * 4 // 3 + 4:
        raise ValidationError(_("The signature image is too large: clear the box and sign again."), code="too_large")
    try:
        raw = ContentFile(base64.b64decode(encoded, validate=True), name=name)
        image = uploads.check_image(raw, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, formats=("PNG",))
    except (binascii.Error, ValidationError):
        raise ValidationError(
            _("The signature could not be read: clear the box and sign again."), code="invalid"
        ) from None
    rgba = image.convert("RGBA")
    # Flattened on white, the drawn strokes are the dark pixels.
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    ink = sum(flat.convert("L").histogram()[:200])
    if ink < MIN_INK_PIXELS:
        raise ValidationError(_("The signature box is empty: draw your signature before you confirm."), code="empty")
    return uploads.reencode(flat, format="PNG", name=name.removesuffix(".png"))
