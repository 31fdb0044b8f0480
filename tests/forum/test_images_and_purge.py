"""Speaker photos and exhibitor logos are validated and cleaned; old registrations are anonymised."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from core import uploads
from forum.forms import SpeakerAdminForm
from forum.models import Attendee, Registration, Seat, Speaker
from tests.forum.factories import make_edition, make_registration, make_workshop


def picture(kind="JPEG", size=(2400, 1200), exif=True):
    image = Image.new("RGB", size, (29, 79, 122))
    buffer = io.BytesIO()
    extra = {}
    if exif and kind == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        extra["exif"] = data.tobytes()
    image.save(buffer, format=kind, **extra)
    return SimpleUploadedFile(f"photo.{kind.lower()}", buffer.getvalue(), content_type=f"image/{kind.lower()}")


def speaker_form(upload):
    return SpeakerAdminForm({"name": "Anne Vidal", "organisation": "", "bio": ""}, {"photo": upload})


@pytest.mark.django_db
def test_a_photo_is_reencoded_without_metadata_and_thumbnailed():
    upload = picture()
    assert b"SecretCamera" in upload.read()
    upload.seek(0)

    form = speaker_form(upload)
    assert form.is_valid(), form.errors
    image, thumbnail = form.processed

    assert b"SecretCamera" not in image.read()
    with Image.open(image) as clean:
        assert clean.size == (1600, 800)
        assert not clean.getexif()
    with Image.open(thumbnail) as small:
        assert max(small.size) == 320


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        # Django's ImageField refuses what Pillow cannot open before the forum's own check runs.
        (SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg"), "invalid_image"),
        (picture(kind="GIF", exif=False), "format"),
    ],
)
@pytest.mark.django_db
def test_a_file_that_is_not_an_allowed_picture_is_refused(upload, code):
    form = speaker_form(upload)
    assert not form.is_valid()
    assert form.errors.as_data()["photo"][0].code == code


def test_a_picture_with_too_many_pixels_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.check_image(picture(size=(100, 100)), max_pixels=1000)
    assert error.value.code == "too_many_pixels"


@pytest.mark.django_db
def test_the_speaker_admin_stores_a_clean_photo_and_its_thumbnail(admin_client):
    response = admin_client.post(
        reverse("admin:forum_speaker_add"), {"name": "Anne Vidal", "organisation": "", "bio": "", "photo": picture()}
    )
    assert response.status_code == 302
    speaker = Speaker.objects.get()
    assert speaker.photo.name.endswith(".jpg") and speaker.photo_thumbnail.name.endswith("-thumb.jpg")


@pytest.mark.django_db
def test_the_speaker_admin_refuses_a_fake_picture(admin_client):
    fake = SimpleUploadedFile("x.png", b"\x89PNG not really", content_type="image/png")
    response = admin_client.post(reverse("admin:forum_speaker_add"), {"name": "X", "photo": fake})
    assert response.status_code == 200
    assert not Speaker.objects.exists()


def make_edition_in_past(days_ago):
    from django.utils import timezone

    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    now = timezone.now()
    return make_edition(
        start_date=day,
        registration_opens_at=now - datetime.timedelta(days=days_ago + 60),
        registration_closes_at=now - datetime.timedelta(days=days_ago),
    )


@pytest.mark.django_db
def test_the_purge_anonymises_registrations_past_the_retention_period(settings):
    settings.FORUM_RETENTION_DAYS = 365
    old = make_edition_in_past(400)
    recent = make_edition_in_past(30)
    workshop = make_workshop(old)
    with_open_registration(old, recent)
    gone = make_registration(
        old, email="ancien@example.org", people=2, workshops=[workshop], accessibility_needs="Boucle magnétique"
    )
    gone.attendees.update(checked_in_at=old.registration_closes_at)
    kept = make_registration(recent, email="recent@example.org")
    close_registration(old, recent)

    out = io.StringIO()
    call_command("purge_forum_data", stdout=out)

    gone.refresh_from_db()
    assert gone.anonymised_at is not None
    assert (gone.first_name, gone.last_name, gone.email, gone.accessibility_needs) == ("", "", "", "")
    assert gone.origin == "Lyon"  # kept for the statistics (commune or country only)
    assert not Attendee.objects.filter(registration=gone).exclude(first_name="").exists()
    assert Attendee.objects.filter(registration=gone, checked_in_at__isnull=False).count() == 2
    assert Seat.objects.filter(registration=gone).count() == 2
    kept.refresh_from_db()
    assert kept.email == "recent@example.org" and kept.anonymised_at is None
    assert "1 registration(s) anonymised" in out.getvalue()


@pytest.mark.django_db
def test_an_anonymised_registration_s_old_link_is_a_404(client, settings):
    old = make_edition_in_past(400)
    with_open_registration(old)
    registration = make_registration(old)
    url = registration.get_absolute_url()
    close_registration(old)
    call_command("purge_forum_data", stdout=io.StringIO())
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_purge_dry_run_lists_and_changes_nothing(settings):
    settings.FORUM_RETENTION_DAYS = 100
    old = make_edition_in_past(200)
    with_open_registration(old)
    registration = make_registration(old, email="ancien@example.org")
    close_registration(old)

    out = io.StringIO()
    call_command("purge_forum_data", "--dry-run", stdout=out)

    assert f"would anonymise registration #{registration.pk}" in out.getvalue()
    assert "1 registration(s) would be anonymised (retention: 100 days)" in out.getvalue()
    registration.refresh_from_db()
    assert registration.email == "ancien@example.org"


@pytest.mark.django_db
def test_the_retention_period_is_configurable(settings):
    old = make_edition_in_past(200)
    with_open_registration(old)
    make_registration(old)
    close_registration(old)

    settings.FORUM_RETENTION_DAYS = 365
    call_command("purge_forum_data", stdout=io.StringIO())
    assert Registration.objects.filter(anonymised_at__isnull=True).count() == 1

    settings.FORUM_RETENTION_DAYS = 150
    call_command("purge_forum_data", stdout=io.StringIO())
    assert Registration.objects.filter(anonymised_at__isnull=True).count() == 0


def with_open_registration(*editions):
    """Past editions had their registration open once: reopen it to create registrations through the service."""
    from django.utils import timezone

    for edition in editions:
        edition._closes = edition.registration_closes_at
        edition.registration_closes_at = timezone.now() + datetime.timedelta(days=1)
        edition.save()


def close_registration(*editions):
    for edition in editions:
        edition.registration_closes_at = edition._closes
        edition.save()
