"""The registration page is served from the cache, yet shows every change at once: a new workshop, the seats
left after a registration or a waiting-list offer, the opening and closing of registration."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forum import booking, registration_page
from forum.models import Workshop
from tests.forum.factories import form_data, make_edition, make_registration, make_workshop
from waitlist import services

URL = reverse("forum:index")
pytestmark = pytest.mark.django_db


def badge(html, workshop):
    """What the workshop's seat badge says on the page."""
    return re.search(rf'data-workshop-seats="{workshop.pk}">([^<]*)<', html).group(1)


def test_a_warm_page_costs_no_query(client, django_assert_num_queries):
    edition = make_edition()
    make_workshop(edition, title="Créer son activité")
    with time_machine.travel(timezone.now(), tick=False):  # within one minute, as cache keys are per minute
        client.get(URL)
        with django_assert_num_queries(0):
            response = client.get(URL)
    assert "Créer son activité" in response.content.decode()


def test_a_new_workshop_shows_at_once(client, edition):
    make_workshop(edition, title="Atelier du matin", start=(9, 0), end=(10, 0))
    assert "Atelier du soir" not in client.get(URL).content.decode()

    make_workshop(edition, title="Atelier du soir", start=(18, 0), end=(19, 0))

    assert "Atelier du soir" in client.get(URL).content.decode()


def test_a_changed_or_deleted_workshop_shows_at_once(client, edition):
    workshop = make_workshop(edition, title="Atelier numérique")
    assert "Atelier numérique" in client.get(URL).content.decode()
    workshop.title = "Atelier numérique avancé"
    workshop.save()
    assert "Atelier numérique avancé" in client.get(URL).content.decode()
    Workshop.objects.get(pk=workshop.pk).delete()
    assert "Atelier numérique" not in client.get(URL).content.decode()


def test_the_seats_left_change_at_once_after_a_registration(client, edition):
    workshop = make_workshop(edition, capacity=3)
    assert badge(client.get(URL).content.decode(), workshop) == "3 places restantes"

    make_registration(edition, people=2, workshops=[workshop])
    assert badge(client.get(URL).content.decode(), workshop) == "1 place restante"

    make_registration(edition, workshops=[workshop])
    assert badge(client.get(URL).content.decode(), workshop).startswith("Complet")


def test_a_cancellation_and_the_offer_it_makes_show_at_once(client, edition, django_capture_on_commit_callbacks):
    workshop = make_workshop(edition, capacity=1)
    seated = make_registration(edition, workshops=[workshop])
    make_registration(edition, workshops=[workshop])  # on the waiting list
    assert badge(client.get(URL).content.decode(), workshop).startswith("Complet")

    with django_capture_on_commit_callbacks(execute=True):
        booking.cancel(seated)

    # The seat freed is held for the person offered it: still none left for others.
    assert services.held_quantity(workshop) == 1
    assert badge(client.get(URL).content.decode(), workshop).startswith("Complet")
    assert client.get(reverse("forum:seats")).json()["workshops"][0]["remaining"] == 0


def test_the_page_follows_the_opening_and_closing_of_registration(client):
    opens = timezone.now() + datetime.timedelta(minutes=10)
    edition = make_edition(registration_opens_at=opens)
    assert 'name="consent"' not in client.get(URL).content.decode()

    with time_machine.travel(opens + datetime.timedelta(seconds=1)):
        assert 'name="consent"' in client.get(URL).content.decode()
    with time_machine.travel(edition.registration_closes_at + datetime.timedelta(seconds=1)):
        assert "Les inscriptions à ce forum sont closes" in client.get(URL).content.decode()


def test_an_edition_changed_by_staff_shows_at_once(client, edition):
    client.get(URL)
    edition.theme = "Le numérique au village"
    edition.save()
    assert "Le numérique au village" in client.get(URL).content.decode()


def test_a_signed_in_visitor_gets_the_cached_form_filled_in_for_them(alice_client, edition):
    workshop = make_workshop(edition, capacity=5)
    make_registration(edition, workshops=[workshop])
    pages = [alice_client.get(URL).content.decode() for _ in range(2)]

    keys = {re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1) for page in pages}
    assert len(keys) == 2
    assert all("\x00" not in page for page in pages)
    assert all(badge(page, workshop) == "4 places restantes" for page in pages)
    assert "Se déconnecter" in pages[0]  # the page itself is rendered for this person


def test_no_cached_page_is_shown_to_a_visitor_with_messages(client, edition):
    client.get(URL)
    client.cookies["messages"] = "anything"
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_the_form_sent_with_an_error_shows_what_was_typed_and_the_seats_left(client, edition):
    workshop = make_workshop(edition, capacity=4)
    make_registration(edition, workshops=[workshop])

    response = client.post(URL, form_data(edition, workshops=[workshop.pk], consent=None, first_name="Zoé"))

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Zoé"' in html
    assert badge(html, workshop) == "3 places restantes"
    assert re.search(rf'value="{workshop.pk}"[^>]*checked', html)
    assert 'aria-invalid="true"' in html and 'id="id_consent_error"' in html
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in html


def test_the_programme_is_read_once_per_change(django_assert_num_queries, edition):
    make_workshop(edition)
    with time_machine.travel(timezone.now(), tick=False):
        assert registration_page.programme()[0] == edition
        with django_assert_num_queries(0):
            found, workshops = registration_page.programme()
    assert found == edition and len(workshops) == 1
