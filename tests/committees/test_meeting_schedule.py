"""A meeting is held in time: never opened or closed before its scheduled date and time; rescheduling is recorded."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone, translation

from committees import services
from committees.models import Meeting, Reschedule
from tests.committees.factories import make_committee, make_meeting

pytestmark = pytest.mark.django_db

SCHEDULED = datetime.datetime(2026, 12, 12, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def planned(db):
    return make_meeting(make_committee(voting=3), status=Meeting.Status.PLANNED, starts_at=SCHEDULED)


def test_a_meeting_cannot_be_opened_before_its_date_and_time(planned):
    with (
        time_machine.travel(SCHEDULED - datetime.timedelta(days=10), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.open_meeting(planned)
    assert error.value.code == "too_early"
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.PLANNED and planned.opened_at is None


def test_a_meeting_opens_on_its_date_and_time(planned):
    with time_machine.travel(SCHEDULED, tick=False):
        meeting = services.open_meeting(planned)
    assert meeting.status == Meeting.Status.OPEN and meeting.opened_at == SCHEDULED


def test_an_open_meeting_cannot_be_closed_before_its_date_and_time(planned):
    Meeting.objects.filter(pk=planned.pk).update(status=Meeting.Status.OPEN)
    with (
        time_machine.travel(SCHEDULED - datetime.timedelta(minutes=5), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.close_meeting(planned, None)
    assert error.value.code == "too_early"
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.OPEN and planned.closed_at is None


def test_the_database_refuses_a_meeting_opened_or_closed_before_its_date(planned):
    for field in ("opened_at", "closed_at"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.filter(pk=planned.pk).update(**{field: SCHEDULED - datetime.timedelta(days=10)})


def test_staff_reschedule_a_planned_meeting_and_the_change_is_recorded(planned, housing_officer):
    later = SCHEDULED + datetime.timedelta(days=7)
    with time_machine.travel(SCHEDULED - datetime.timedelta(days=10), tick=False):
        meeting = services.reschedule_meeting(planned, later, "Salle indisponible", housing_officer)

    assert meeting.starts_at == later
    change = Reschedule.objects.get(meeting=planned)
    assert (change.previous_starts_at, change.starts_at, change.reason, change.changed_by) == (
        SCHEDULED,
        later,
        "Salle indisponible",
        housing_officer,
    )
    with time_machine.travel(SCHEDULED, tick=False), pytest.raises(ValidationError):
        services.open_meeting(meeting)


@pytest.mark.parametrize(
    ("reason", "status", "code"),
    [("", Meeting.Status.PLANNED, "reason_required"), ("Salle", Meeting.Status.OPEN, "not_planned")],
)
def test_a_reschedule_needs_a_reason_and_a_planned_meeting(planned, housing_officer, reason, status, code):
    Meeting.objects.filter(pk=planned.pk).update(status=status)
    with pytest.raises(ValidationError) as error:
        services.reschedule_meeting(planned, SCHEDULED + datetime.timedelta(days=1), reason, housing_officer)
    assert error.value.code == code
    assert not Reschedule.objects.exists()


def test_minutes_dates_are_french_with_the_first_of_the_month_as_1er():
    first = timezone.make_aware(datetime.datetime(2026, 12, 1, 14, 30))
    template = Template("{% load committee_dates %}{{ day|long_date }} | {{ day|long_datetime }}")
    with translation.override("fr"):
        text = template.render(Context({"day": first}))
    assert text == "1er décembre 2026 | 1er décembre 2026, 14:30"
    with translation.override("en"):
        assert "1er" not in template.render(Context({"day": first}))


def test_the_housing_meeting_screen_refuses_an_early_opening_and_reschedules(client, housing_officer):
    from django.urls import reverse

    meeting = make_meeting(
        make_committee(voting=3), status=Meeting.Status.PLANNED, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(housing_officer)

    response = client.post(reverse("housing:meeting-open", args=[meeting.pk]), follow=True)
    assert "it cannot be opened or closed before" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED

    later = timezone.localtime(timezone.now() + datetime.timedelta(days=10))
    response = client.post(
        reverse("housing:meeting-reschedule", args=[meeting.pk]),
        {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Salle indisponible"},
        follow=True,
    )
    assert "Salle indisponible" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at == later.replace(second=0, microsecond=0) and meeting.reschedules.count() == 1


def test_a_meeting_cannot_be_moved_into_the_past(planned, housing_officer):
    with (
        time_machine.travel(SCHEDULED - datetime.timedelta(days=1), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.reschedule_meeting(planned, SCHEDULED - datetime.timedelta(days=2), "Avancée", housing_officer)
    assert error.value.code == "in_the_past"
    assert not Reschedule.objects.exists()
