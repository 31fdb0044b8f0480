import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from housing.models import Application, OccupancyAgreement
from tests.factories import make_user
from tests.housing.factories import make_application, make_caps, make_occupancy, make_unit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def unit(db):
    make_caps()
    return make_unit()


def test_an_overlapping_occupancy_is_refused_and_nothing_is_written(unit, alice, bob):
    make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 6, 1))
    with pytest.raises(ValidationError, match="already occupied during these dates"):
        make_occupancy(unit, bob, D(2026, 5, 31), D(2026, 9, 1))
    assert OccupancyAgreement.objects.count() == 1

    # The departure day is free: the next occupant can arrive that day.
    make_occupancy(unit, bob, D(2026, 6, 1), D(2026, 9, 1))
    assert OccupancyAgreement.objects.count() == 2


def test_a_cancelled_occupancy_frees_the_dates(unit, alice, bob):
    first = make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 6, 1))
    with pytest.raises(ValidationError, match="already occupied during these dates"):
        make_occupancy(unit, bob, D(2026, 2, 1), D(2026, 3, 1))
    OccupancyAgreement.objects.filter(pk=first.pk).update(status=OccupancyAgreement.Status.CANCELLED)
    second = make_occupancy(unit, bob, D(2026, 2, 1), D(2026, 3, 1))
    assert list(
        OccupancyAgreement.objects.filter(unit=unit).order_by("pk").values_list("pk", "occupant", "status")
    ) == [
        (first.pk, alice.pk, OccupancyAgreement.Status.CANCELLED),
        (second.pk, bob.pk, OccupancyAgreement.Status.ACTIVE),
    ]


@pytest.mark.parametrize(
    ("profile", "end", "allowed"),
    [
        ("creation", D(2027, 7, 1), True),  # 18 months exactly
        ("creation", D(2027, 7, 2), False),
        ("salaried", D(2026, 7, 1), True),  # 6 months
        ("salaried", D(2026, 8, 1), False),
    ],
)
def test_the_stay_is_capped_by_the_profile_s_maximum(unit, alice, profile, end, allowed):
    if allowed:
        agreement = make_occupancy(unit, alice, D(2026, 1, 1), end, profile=profile)
        assert agreement.stay_limit == end
    else:
        with pytest.raises(ValidationError, match="beyond the maximum stay for this profile"):
            make_occupancy(unit, alice, D(2026, 1, 1), end, profile=profile)
        assert not OccupancyAgreement.objects.exists()


def test_a_profile_without_a_cap_is_not_housed(unit, alice):
    with pytest.raises(ValidationError, match="programme is not open to it"):
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 2, 1), scheme="residence_long", profile="salaried")


def test_renewals_count_against_the_cap(unit, alice):
    first = make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 7, 1), profile="creation")
    second = first.renew(D(2027, 1, 1))
    assert (second.start_date, second.stay_limit, second.renewal_count) == (D(2026, 7, 1), D(2027, 7, 1), 1)

    with pytest.raises(ValidationError, match="last possible departure is 01/07/2027"):
        second.renew(D(2027, 9, 1))
    assert OccupancyAgreement.objects.count() == 2
    with pytest.raises(ValidationError, match="already been renewed"):
        first.renew(D(2027, 3, 1))
    third = second.renew(D(2027, 7, 1))
    assert third.renewal_count == 2


def test_staff_record_an_agreement_for_an_allocated_application(client, housing_officer, alice, unit):
    application = make_application(alice, kind="salaried")
    Application.objects.filter(pk=application.pk).update(status="allocated")
    client.force_login(housing_officer)
    url = reverse("housing:occupancy-create", args=[application.pk])
    data = {
        "unit": unit.pk,
        "legal_type": "loan",
        "start_date": "2026-01-01",
        "end_date": "2026-09-01",
        "rent": "0",
        "charges": "0",
        "deposit": "0",
        "checkin_inventory": "Bon état général",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "beyond the maximum stay for this profile (6 months" in response.content.decode()
    assert not OccupancyAgreement.objects.exists()

    response = client.post(url, {**data, "end_date": "2026-07-01"})
    assert response.status_code == 302
    agreement = OccupancyAgreement.objects.get()
    assert (agreement.occupant, agreement.profile, agreement.created_by) == (alice, "salaried", housing_officer)

    response = client.post(url, {**data, "start_date": "2026-03-01", "end_date": "2026-05-01"})
    assert "already occupied during these dates" in response.content.decode()
    assert OccupancyAgreement.objects.count() == 1


def test_a_renewal_past_the_limit_is_refused_on_the_staff_screen(client, housing_officer, alice, unit):
    agreement = make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 5, 1), profile="salaried")
    client.force_login(housing_officer)
    url = reverse("housing:occupancy-renew", args=[agreement.pk])
    response = client.post(url, {"end_date": "2026-08-01"})
    assert "beyond the maximum stay" in response.content.decode()
    assert OccupancyAgreement.objects.count() == 1
    assert client.post(url, {"end_date": "2026-07-01"}).status_code == 302
    assert OccupancyAgreement.objects.count() == 2


def test_end_of_stay_alerts_go_to_occupant_and_staff_once(
    unit, alice, housing_officer, mailoutbox, django_capture_on_commit_callbacks
):
    make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 6, 20))
    make_occupancy(make_unit(name="Résidence"), make_user(), D(2026, 1, 1), D(2026, 12, 1))
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 8, tzinfo=datetime.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_occupancy_end_alerts", stdout=out)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_occupancy_end_alerts", stdout=out)

    assert "1 end-of-stay alert(s) sent." in out.getvalue()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([alice.email, housing_officer.email])
    occupant_mail = next(m for m in mailoutbox if m.to == [alice.email])
    assert "dans 19 jours" in occupant_mail.body  # in the occupant's language


def test_the_timeline_shows_occupied_and_free_periods(
    client, housing_officer, unit, alice, django_assert_max_num_queries
):
    for n in range(12):
        other = make_unit(name=f"Logement {n}")
        make_occupancy(other, make_user(), D(2026, 1, 1), D(2026, 2, 15))
    make_occupancy(unit, alice, D(2026, 1, 10), D(2026, 3, 1))
    client.force_login(housing_officer)
    moment = datetime.datetime(2026, 1, 5, 8, tzinfo=datetime.UTC)
    with time_machine.travel(moment), django_assert_max_num_queries(10):
        response = client.get(reverse("housing:timeline"))
    row = next(r for r in response.context["rows"] if r["unit"] == unit)
    assert [state for _m, state in row["cells"]] == ["partly", "occupied", "free", "free", "free", "free"]
    assert [(k, a, b) for k, a, b, _o in row["segments"]] == [
        ("free", D(2026, 1, 1), D(2026, 1, 9)),
        ("occupied", D(2026, 1, 10), D(2026, 2, 28)),
        ("free", D(2026, 3, 1), D(2026, 6, 30)),
    ]
    assert "Alice Martin" in response.content.decode()


def test_the_yearly_statistics_export_is_anonymous(client, director, grid, alice, housing_officer):
    from housing.scoring import run_scoring

    with time_machine.travel(datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC)):
        make_application(alice)
        run_scoring()
    housing_officer.user_permissions.clear()
    client.force_login(housing_officer)

    response = client.get(reverse("housing:statistics-export", args=[2026, "csv"]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Business creation" in text and "Alice" not in text and alice.email not in text

    response = client.get(reverse("housing:statistics-export", args=[2026, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Applications", "Rates by group"]
    assert workbook["Applications"].max_row == 2
    assert client.get(reverse("housing:statistics-export", args=[2026, "pdf"])).status_code == 404
    client.force_login(director)
    assert client.get(reverse("housing:statistics-export", args=[2026, "csv"])).status_code == 403
