import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import InstallationProject
from journey import services
from journey.models import Arrival, Business, CheckIn
from tests.factories import make_commune
from tests.journey.factories import make_newcomer_project

Stage = InstallationProject.Stage
pytestmark = pytest.mark.django_db


def installed(referent, arrival=datetime.date(2025, 1, 10), business_start=None, **fields):
    project = make_newcomer_project(referent=referent, stage=Stage.INSTALLED, **fields)
    Arrival.objects.create(project=project, arrival_date=arrival, commune=make_commune(), housing="bridge")
    if business_start:
        Business.objects.create(
            project=project,
            name="Atelier",
            siret="73282932000074",
            siren="732829320",
            legal_form="micro",
            creation_date=business_start,
            origin="created",
        )
    services.schedule_checkins(project)
    return project


def test_check_ins_follow_the_later_of_arrival_and_business_start(referent):
    project = installed(referent, arrival=datetime.date(2025, 1, 10), business_start=datetime.date(2025, 3, 15))

    assert list(project.checkins.values_list("months", "due_on")) == [
        (1, datetime.date(2025, 4, 15)),
        (3, datetime.date(2025, 6, 15)),
        (6, datetime.date(2025, 9, 15)),
        (12, datetime.date(2026, 3, 15)),
        (24, datetime.date(2027, 3, 15)),
        (36, datetime.date(2028, 3, 15)),
    ]


def test_a_later_business_start_moves_the_check_ins_not_yet_done(client, referent):
    project = installed(referent, arrival=datetime.date(2025, 1, 10))
    CheckIn.objects.filter(project=project, months=1).update(done_on=datetime.date(2025, 2, 10))
    client.force_login(referent)

    client.post(
        reverse("journey:fact", args=[project.pk, "business"]),
        {
            "name": "Atelier",
            "siret": "73282932000074",
            "legal_form": "micro",
            "creation_date": "2025-05-02",
            "origin": "created",
            "jobs": "1",
        },
    )

    due = dict(project.checkins.values_list("months", "due_on"))
    assert due[1] == datetime.date(2025, 2, 10)  # done: unchanged
    assert due[3] == datetime.date(2025, 8, 2)
    assert due[36] == datetime.date(2028, 5, 2)


@time_machine.travel(datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC))
def test_a_check_in_dated_in_the_future_is_refused_and_nothing_written(client, referent):
    project = installed(referent)
    checkin = project.checkins.get(months=1)
    client.force_login(referent)

    response = client.post(
        reverse("journey:checkin", args=[checkin.pk]),
        {"done_on": "2025-06-02", "business_active": "true", "still_in_territory": "true", "jobs": "1"},
    )

    assert response.status_code == 200
    assert "ne peut pas être daté dans le futur" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.done_on is None


@time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC))
def test_a_check_in_records_its_findings_and_carries_them_to_the_business(client, referent):
    project = installed(referent, business_start=datetime.date(2025, 2, 1))
    checkin = project.checkins.get(months=12)
    client.force_login(referent)

    response = client.post(
        reverse("journey:checkin", args=[checkin.pk]),
        {
            "done_on": "2026-05-30",
            "business_active": "false",
            "jobs": "0",
            "turnover_band": "lt10k",
            "still_in_territory": "true",
            "housing": "renting",
            "difficulties": "Pas assez de clients l'hiver.",
            "referrals": ["bge", "france_travail"],
            "next_step": "Rendez-vous France Travail",
        },
    )

    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.done_on == datetime.date(2026, 5, 30)
    assert checkin.referrals == ["bge", "france_travail"]
    assert checkin.recorded_by == referent
    business = project.business
    business.refresh_from_db()
    assert business.ceased_on == datetime.date(2026, 5, 30)
    assert business.jobs == 0


@time_machine.travel(datetime.datetime(2025, 5, 1, 8, tzinfo=datetime.UTC))
def test_overdue_check_ins_show_on_the_referents_board(client, referent):
    installed(referent, arrival=datetime.date(2025, 1, 10))  # M+1 and M+3 overdue
    client.force_login(referent)

    response = client.get(reverse("journey:board"))

    assert len(response.context["my_overdue"]) == 2
    assert "M+3" in response.content.decode()
    filtered = client.get(reverse("journey:board"), {"overdue": "on"})
    assert filtered.context["total"] == 1


def test_reminders_are_emailed_once_a_week_per_referent(referent, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2025, 5, 1, 8, tzinfo=datetime.UTC)):
        installed(referent, arrival=datetime.date(2025, 1, 10))
        installed(referent, arrival=datetime.date(2025, 3, 1))  # M+1 overdue
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_followup_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [referent.email]
    assert "M+3" in mailoutbox[0].body and "M+1" in mailoutbox[0].body
    assert CheckIn.objects.filter(reminded_at__isnull=False).count() == 3

    with (
        time_machine.travel(datetime.datetime(2025, 5, 2, 8, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_followup_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1

    with (
        time_machine.travel(datetime.datetime(2025, 5, 9, 8, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_followup_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 2


def test_done_and_closed_check_ins_are_not_reminded(referent, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC)):
        project = installed(referent, arrival=datetime.date(2025, 1, 10))
        CheckIn.objects.filter(project=project, months=1).update(done_on=datetime.date(2025, 2, 10))
        closed = installed(referent, arrival=datetime.date(2025, 1, 5))
        InstallationProject.objects.filter(pk=closed.pk).update(stage=Stage.CLOSED)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_followup_reminders", stdout=io.StringIO())
    assert mailoutbox == []
