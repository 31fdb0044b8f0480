"""Staff land on their staff home after login, which says what needs doing today: one count per task their
permissions open, each a link to the list of exactly what it counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from committees.models import Meeting
from journey.models import CheckIn, Enquiry
from privacy.models import DataRequest
from telecentre.training.models import Complaint
from tests.committees.factories import make_committee, make_meeting
from tests.coworking.factories import make_space
from tests.factories import make_staff, make_user
from tests.journey.factories import make_newcomer_project

pytestmark = pytest.mark.django_db


def tasks(client, user):
    """{label: (count, url)} of the staff home's "To do today" cards, as `user` reads them."""
    client.force_login(user)
    response = client.get(reverse("staff-home"))
    assert response.status_code == 200
    html = response.content.decode()
    cards = re.findall(
        r'<a class="card[^"]*" href="([^"]+)">\s*<span[^>]*>\s*<span[^>]*>(\d+)</span>\s*<span>([^<]+)</span>', html
    )
    return {label.strip(): (int(count), url.replace("&amp;", "&")) for url, count, label in cards}


def test_staff_land_on_their_staff_home_and_newcomers_on_their_portal(client, password):
    referent = make_staff(roles.NEWCOMER_REFERENT)
    response = client.post(reverse("accounts:login"), {"username": referent.email, "password": password})
    assert response.url == reverse("staff-home")
    client.logout()
    newcomer = make_user()
    response = client.post(reverse("accounts:login"), {"username": newcomer.email, "password": password})
    assert response.url == reverse("portal")
    # An explicit destination still wins.
    client.logout()
    response = client.post(
        reverse("accounts:login") + "?next=/journey/board/",
        {"username": referent.email, "password": password, "next": "/journey/board/"},
    )
    assert response.url == "/journey/board/"


def test_the_director_sees_each_count_and_each_link_lists_what_it_counts(client):
    today = timezone.localdate()
    late = make_newcomer_project()
    CheckIn.objects.create(project=late, months=1, due_on=today - datetime.timedelta(days=3))
    on_time = make_newcomer_project()
    CheckIn.objects.create(project=on_time, months=1, due_on=today + datetime.timedelta(days=3))
    Enquiry.objects.create(first_name="Léa", last_name="Roux", email="lea@example.org", source="forum")
    Enquiry.objects.create(
        first_name="Paul", last_name="Blanc", email="paul@example.org", source="phone", status=Enquiry.Status.CONTACTED
    )
    DataRequest.objects.create(email="x@example.org", kind="erasure")
    open_complaint = Complaint.objects.create(complainant_name="Alice", subject="Salle froide", description="Froid")
    Complaint.objects.create(
        complainant_name="Bob",
        subject="Café tiède",
        description="Tiède",
        response="Nous avons changé de machine.",
        improvement_action="Machine neuve",
        status=Complaint.Status.CLOSED,
    )
    director = make_staff(roles.DIRECTOR)

    seen = tasks(client, director)

    assert seen["Projets dont un suivi est en retard"][0] == 1
    assert seen["Nouvelles demandes de renseignements à traiter"][0] == 1
    assert seen["Demandes sur les données personnelles à traiter"][0] == 1
    assert seen["Réclamations de formation non clôturées"][0] == 1
    assert seen["Tâches planifiées en échec ces dernières 24 heures"][0] == 0
    for _count, url in seen.values():
        assert client.get(url).status_code == 200, url
    board = client.get(seen["Projets dont un suivi est en retard"][1]).content.decode()
    assert late.newcomer.last_name in board and on_time.newcomer.last_name not in board
    complaints = client.get(seen["Réclamations de formation non clôturées"][1]).content.decode()
    assert open_complaint.subject in complaints and "Café tiède" not in complaints


def test_a_role_sees_only_the_tasks_its_permissions_open(client):
    make_space()
    manager = make_staff(roles.COWORKING_MANAGER)
    seen = tasks(client, manager)
    assert list(seen) == ["Réservations de coworking aujourd’hui"]
    assert client.get(seen["Réservations de coworking aujourd’hui"][1]).status_code == 200


def test_the_housing_officer_sees_the_meetings_coming(client):
    committee = make_committee()
    make_meeting(committee, status=Meeting.Status.PLANNED, starts_at=timezone.now() + datetime.timedelta(days=5))
    make_meeting(committee, status=Meeting.Status.PLANNED, starts_at=timezone.now() + datetime.timedelta(days=40))
    make_meeting(committee, status=Meeting.Status.CLOSED, starts_at=timezone.now() - datetime.timedelta(days=5))
    seen = tasks(client, make_staff(roles.HOUSING_OFFICER))
    assert seen == {
        "Demandes de logement en attente de commission": (0, reverse("housing:staff-board")),
        "Séances de commission logement dans les 14 prochains jours": (
            1,
            reverse("housing:staff-board") + "#meetings-title",
        ),
    }
    assert client.get(reverse("housing:staff-board")).status_code == 200
