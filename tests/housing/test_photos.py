import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import process_photo
from housing.forms import UnitPhotoForm
from tests.housing.factories import make_unit

pytestmark = pytest.mark.django_db


def jpeg_with_gps():
    image = Image.new("RGB", (1200, 800), "tan")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (45.0, 6.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photo_is_re_encoded_without_metadata_and_thumbnailed():
    image, thumbnail = process_photo(SimpleUploadedFile("salon.jpg", jpeg_with_gps()))
    with Image.open(io.BytesIO(image.read())) as clean:
        assert clean.format == "JPEG" and not clean.getexif()
    with Image.open(io.BytesIO(thumbnail.read())) as thumb:
        assert thumb.size == (480, 320)


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError, match="not a JPEG, PNG or WebP photo"):
        process_photo(SimpleUploadedFile("salon.jpg", b"GIF89a not really"))


def test_the_admin_photo_form_stores_photo_and_thumbnail():
    unit = make_unit()
    form = UnitPhotoForm(
        {"unit": unit.pk, "alt_text": "Séjour lumineux", "position": 1},
        {"image": SimpleUploadedFile("sejour.jpg", jpeg_with_gps(), content_type="image/jpeg")},
    )
    assert form.is_valid(), form.errors
    photo = form.save()
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name.endswith("-thumb.jpg")

    bad = UnitPhotoForm(
        {"unit": unit.pk, "alt_text": "x", "position": 2},
        {"image": SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")},
    )
    assert not bad.is_valid()
    assert unit.photos.count() == 1
