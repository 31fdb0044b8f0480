import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telecentre.training import services
from telecentre.training.models import Enrolment
from telecentre.training.signatures import decode_signature
from tests.factories import make_user
from tests.training.conftest import at
from tests.training.factories import NEXT_MONDAY, make_enrolment, make_programme, make_session, signature_data_url

pytestmark = pytest.mark.django_db

STAFF_URLS = ["training:staff-calendar", "training:exports", "training:staff-complaints"]


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_screens_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_screens_are_forbidden_to_newcomers_and_other_roles(client, alice, housing_officer, name):
    for user in (alice, housing_officer):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_screens_open_to_the_training_manager_and_the_director(client, training_manager, director, name):
    for user in (training_manager, director):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 200


def test_the_director_sees_but_cannot_decide(client, director, alice, frozen):
    session = make_session(make_programme(selective=True))
    enrolment = make_enrolment(session, alice, Enrolment.Status.APPLIED, application_text="Projet")
    client.force_login(director)

    assert client.get(reverse("training:staff-session", args=[session.pk])).status_code == 200
    response = client.post(reverse("training:decide", args=[enrolment.pk]), {"decision": "accept", "reason": "ok"})

    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.APPLIED


def test_staff_links_follow_permissions(alice, training_manager):
    from telecentre.training.sections import staff_links

    assert staff_links(alice) == []
    assert [url for _label, url in staff_links(training_manager)] == [
        reverse("training:staff-calendar"),
        reverse("training:exports"),
        reverse("training:staff-complaints"),
    ]


def test_the_calendar_shows_the_half_days_of_the_month_without_n_plus_one(
    client, training_manager, frozen, django_assert_max_num_queries
):
    for n in range(6):
        make_session(days=(NEXT_MONDAY + datetime.timedelta(days=n),))
    client.force_login(training_manager)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:staff-calendar") + "?month=2026-03")

    body = response.content.decode()
    assert body.count('class="slot-link"') == 12
    assert "mars 2026" in body


def test_the_session_screen_lists_enrolments_waiting_list_and_attendance_without_n_plus_one(
    client, training_manager, frozen, django_assert_max_num_queries
):
    session = make_session(capacity=15, days=(NEXT_MONDAY, NEXT_MONDAY + datetime.timedelta(days=1)))
    for n in range(15):
        make_enrolment(session, make_user(f"stagiaire{n}@example.org"))
    from waitlist import services as waitlist

    waitlist.join(session, user=make_user("attente@example.org", first_name="Zoé", last_name="Attente"))
    client.force_login(training_manager)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("training:staff-session", args=[session.pk]))

    body = response.content.decode()
    assert "Zoé Attente" in body
    assert "15 inscrits sur 15 places" in body


def test_the_catalogue_lists_programmes_and_seats_without_n_plus_one(
    client, alice, frozen, django_assert_max_num_queries
):
    for n in range(5):
        session = make_session(make_programme(title=f"Programme {n}"), capacity=2)
        make_enrolment(session, make_user())
    make_programme(title="Sans session")

    with django_assert_max_num_queries(6):
        body = client.get(reverse("training:index")).content.decode()

    assert "Programme 4" in body and "1 place restante" in body
    assert "Aucune session n’est ouverte aux inscriptions pour le moment." in body


def test_the_programme_page_gives_the_public_information_qualiopi_asks_for(client, frozen):
    programme = make_programme("teletravail", title="Devenir télétravailleur indépendant", cpf_code="RS5440")

    body = client.get(reverse("training:programme", args=["teletravail"])).content.decode()

    for text in [
        "Organiser son travail à distance",
        "Salle de plain-pied",
        "handicap@telecentre.example.org",
        "RS5440",
        "480,00\xa0€",
    ]:
        assert text in body
    assert programme.current_version.title in body


def run_and_export(trainer, enrolments, session):
    for slot in session.slots.all():
        for enrolment in enrolments:
            services.sign(
                slot,
                enrolment,
                decode_signature(signature_data_url()),
                by=enrolment.trainee,
                via="trainee",
                now=slot.start,
            )


def test_exports_give_trainees_and_hours_per_funding_line(client, alice, bob, training_manager, trainer, frozen):
    session = make_session(make_programme(funding_opco=True), days=(NEXT_MONDAY,))
    personal = make_enrolment(session, alice)
    opco = make_enrolment(session, bob, funding=Enrolment.Funding.OPCO, file_number="OPCO-2026-42")
    run_and_export(trainer, [personal, opco], session)
    client.force_login(training_manager)

    page = client.get(reverse("training:exports") + "?year=2026").content.decode()
    assert "OPCO (opérateur de compétences)" in page
    response = client.get(reverse("training:export", args=["csv"]) + "?year=2026")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Formation" and len(rows) == 3
    bob_row = ["Durand", "Bob", "bob@example.org", "OPCO (opérateur de compétences)", "OPCO-2026-42"]
    assert bob_row in [row[3:8] for row in rows[1:]]
    assert [row[9:] for row in rows[1:] if row[3] == "Durand"][0] == ["8,0", "0,0", "0,0"]
    xlsx = client.get(reverse("training:export", args=["xlsx"]) + "?year=2026")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    totals = list(workbook["Par financement"].values)
    assert ("Financement personnel", 1, 8) in totals and ("OPCO (opérateur de compétences)", 1, 8) in totals
    empty = client.get(reverse("training:export", args=["csv"]) + "?year=2025")
    assert empty.content.decode("utf-8-sig").count("\n") == 1
    assert client.get(reverse("training:export", args=["pdf"]) + "?year=2026").status_code == 404


def test_the_portal_card_shows_my_trainings_and_what_to_sign_today(client, alice, frozen):
    session = make_session(days=(NEXT_MONDAY,))
    make_enrolment(session, alice, attended_hours=Decimal("0"))
    frozen.move_to(at(NEXT_MONDAY, 9))
    client.force_login(alice)

    body = client.get(reverse("portal")).content.decode()

    assert "Mes formations" in body and session.title in body
    assert "1 demi-journée à signer aujourd’hui." in body


@pytest.mark.parametrize(
    "model",
    [
        "programme",
        "programmeversion",
        "session",
        "slot",
        "enrolment",
        "attendance",
        "attendancechange",
        "certificate",
        "questionnaire",
        "surveyresponse",
        "complaint",
    ],
)
def test_every_training_model_has_a_back_office_list_without_n_plus_one(
    admin_client, alice, bob, frozen, model, django_assert_max_num_queries
):
    for n in range(4):
        session = make_session(make_programme(title=f"Programme {n}"), capacity=15)
        make_enrolment(session, make_user())
    with django_assert_max_num_queries(16):
        response = admin_client.get(reverse(f"admin:training_{model}_changelist"))
    assert response.status_code == 200


def test_the_staff_home_links_to_the_training_screens(client, training_manager):
    client.force_login(training_manager)
    body = client.get(reverse("staff-home")).content.decode()
    assert reverse("training:staff-calendar") in body and reverse("training:exports") in body


def test_the_director_is_shown_no_link_to_a_half_day_sheet_they_cannot_open(client, frozen):
    """The director reads the calendar and the session screen (view permissions) but does not keep attendance:
    every link those pages show them must open, so the half-day sheets are named, not linked."""
    import re

    from accounts import roles
    from tests.factories import make_staff

    session = make_session(days=(NEXT_MONDAY,))
    make_enrolment(session, make_user("stagiaire@example.org"))
    client.force_login(make_staff(roles.DIRECTOR))
    pages = [
        reverse("training:staff-calendar") + "?month=2026-03",
        reverse("training:staff-session", args=[session.pk]),
    ]
    for page in pages:
        body = client.get(page).content.decode()
        assert "Matin" in body or "matin" in body
        links = set(re.findall(r'href="(/trainings/[^"#?]*)"', body))
        assert not any("/half-days/" in href for href in links)
        for href in links:
            assert client.get(href).status_code < 400, href
    client.force_login(make_staff(roles.TRAINING_MANAGER))
    body = client.get(pages[0]).content.decode()
    assert reverse("training:slot-sheet", args=[session.slots.first().pk]) in body
