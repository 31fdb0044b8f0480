"""Public registration at /forum/: anyone, no account, with every rule the issue names."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from forum.models import Attendee, Registration, Seat
from tests.forum.factories import add_people, form_data, make_edition, make_registration, make_workshop
from waitlist.models import WaitingListEntry

URL = reverse("forum:index")


def post(client, data, **extra):
    return client.post(URL, data, **extra)


@pytest.mark.django_db
def test_the_registration_page_shows_the_current_edition_and_live_seats(client, edition):
    workshop = make_workshop(edition, title="Créer son activité", capacity=12)
    make_registration(edition, people=2, workshops=[workshop])

    response = client.get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert edition.theme in body
    assert "Créer son activité" in body
    assert "10 places restantes" in body
    assert reverse("privacy") in body
    assert 'name="idempotency_key"' in body


@pytest.mark.django_db
def test_a_visitor_registers_without_an_account_and_gets_the_ticket_by_email(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_workshop(edition, title="Télétravail salarié")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_data(edition, workshops=[workshop.pk], accessibility_needs="Accès sans marche"))

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == registration.get_absolute_url()
    assert registration.email == "claire@example.org"
    assert registration.consent_at is not None
    assert registration.accessibility_needs == "Accès sans marche"
    attendee = registration.attendees.get()
    assert attendee.is_booker and attendee.profile == "teleworker"
    assert Seat.objects.get().workshop == workshop
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["claire@example.org"]
    assert registration.get_absolute_url() in message.body
    assert attendee.code in message.body
    kinds = {mimetype for _name, _content, mimetype in message.attachments}
    assert kinds == {"image/png", "text/calendar"}
    png = next(content for _n, content, mimetype in message.attachments if mimetype == "image/png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    ics = next(content for _n, content, mimetype in message.attachments if mimetype == "text/calendar")
    assert "BEGIN:VCALENDAR" in ics and "Télétravail salarié" in ics


@pytest.mark.django_db
def test_a_family_registers_several_people_in_one_go(client, edition, mailoutbox, django_capture_on_commit_callbacks):
    workshop = make_workshop(edition, capacity=5)
    data = add_people(form_data(edition, workshops=[workshop.pk]), ("Hugo", "Lefèvre"), ("Sophie", "Martin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, data)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert [a.first_name for a in registration.attendees.all()] == ["Claire", "Hugo", "Sophie"]
    assert Seat.objects.filter(workshop=workshop).count() == 3
    assert len({a.code for a in registration.attendees.all()}) == 3
    pngs = [a for a in mailoutbox[0].attachments if a[2] == "image/png"]
    assert len(pngs) == 3


@pytest.mark.django_db
def test_a_replayed_or_double_submitted_form_creates_nothing_twice(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    data = form_data(edition)
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, data)
        second = post(client, data)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Registration.objects.count() == 1
    assert Attendee.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["before_opening", "after_closing"])
def test_a_closed_registration_says_so_and_writes_nothing(client, moment):
    edition = make_edition()
    when = edition.registration_opens_at - datetime.timedelta(days=1)
    if moment == "after_closing":
        when = edition.registration_closes_at + datetime.timedelta(minutes=1)
    with time_machine.travel(when):
        page = client.get(URL)
        response = post(client, form_data(edition))

    assert 'name="consent"' not in page.content.decode()
    assert response.status_code == 400
    assert "Les inscriptions à ce forum sont closes" in response.content.decode() or moment == "before_opening"
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_a_full_workshop_is_refused_with_a_clear_message_when_no_waiting_list_is_wanted(client, edition):
    workshop = make_workshop(edition, title="Atelier complet", capacity=1)
    make_registration(edition, workshops=[workshop])

    response = post(client, form_data(edition, workshops=[workshop.pk], waitlist_if_full=None))

    assert response.status_code == 400
    assert "a 0 place restante pour votre groupe de 1" in response.content.decode()
    assert Registration.objects.count() == 1
    assert Seat.objects.count() == 1


@pytest.mark.django_db
def test_a_group_too_large_for_the_last_seats_goes_on_the_waiting_list_with_its_size(
    client, edition, django_capture_on_commit_callbacks
):
    workshop = make_workshop(edition, capacity=3)
    make_registration(edition, people=2, workshops=[workshop])
    data = add_people(form_data(edition, workshops=[workshop.pk]), ("Hugo", "Lefèvre"))

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, data, follow=True)

    registration = Registration.objects.get(email="claire@example.org")
    entry = WaitingListEntry.objects.get()
    assert entry.target == workshop
    assert entry.quantity == 2
    assert entry.email == "claire@example.org"
    assert entry.payload == {"registration": registration.pk}
    assert Seat.objects.filter(workshop=workshop).count() == 2
    assert "liste d’attente" in response.content.decode() or "liste d'attente" in response.content.decode()


@pytest.mark.django_db
def test_overlapping_workshops_are_refused(client, edition):
    first = make_workshop(edition, title="Premier", start=(14, 0), end=(15, 30))
    second = make_workshop(edition, title="Second", start=(15, 0), end=(16, 0))

    response = post(client, form_data(edition, workshops=[first.pk, second.pk]))

    assert response.status_code == 400
    assert "ont lieu en même temps" in response.content.decode()
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_back_to_back_workshops_are_accepted(client, edition):
    first = make_workshop(edition, start=(14, 0), end=(15, 0))
    second = make_workshop(edition, start=(15, 0), end=(16, 0))
    assert post(client, form_data(edition, workshops=[first.pk, second.pk])).status_code == 302
    assert Seat.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "claire@@example"}, "Saisissez une adresse de courriel valide"),
        ({"consent": None}, "Cochez cette case pour vous inscrire"),
        ({"first_name": "  "}, "Ce champ est obligatoire"),
        ({"origin": ""}, "Ce champ est obligatoire"),
        ({"profile": "astronaut"}, "Sélectionnez un choix valide"),
        ({"workshops": ["999999"]}, "Sélectionnez un choix valide"),
        ({"idempotency_key": "not-a-uuid"}, "UUID"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_written(client, edition, overrides, message):
    response = post(client, form_data(edition, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_a_workshop_of_another_edition_cannot_be_chosen(client, edition):
    other = make_workshop(make_edition())
    response = post(client, form_data(edition, workshops=[other.pk]))
    assert response.status_code == 400
    assert Seat.objects.count() == 0


@pytest.mark.django_db
def test_what_the_visitor_typed_is_kept_after_an_error(client, edition):
    response = post(client, form_data(edition, consent=None, origin="Clermont-Ferrand"))
    assert 'value="Clermont-Ferrand"' in response.content.decode()


@pytest.mark.django_db
def test_the_honeypot_discards_robots_silently(client, edition, mailoutbox):
    response = post(client, form_data(edition, website="http://spam.example"))
    assert response.status_code == 400
    assert Registration.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_behind_the_trusted_proxy_the_throttle_counts_the_address_it_passed(client, edition, settings):
    settings.FORUM_THROTTLE_PER_IP = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = post(client, form_data(edition, email="a@example.org"), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    second = post(client, form_data(edition, email="b@example.org"), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    # The same visitor writing a fresh address of its own in front of the proxy's: still counted as itself.
    forged = post(
        client, form_data(edition, email="c@example.org"), HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.2", **proxy
    )
    assert (first.status_code, second.status_code, forged.status_code) == (302, 302, 429)


@pytest.mark.django_db
def test_an_address_already_registered_is_sent_to_its_private_link(client, edition):
    make_registration(edition, email="claire@example.org")
    response = post(client, form_data(edition, email="Claire@Example.org"))
    assert response.status_code == 400
    assert "Une inscription existe déjà pour cette adresse" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_the_venue_capacity_is_never_exceeded(client):
    edition = make_edition(capacity=2)
    make_registration(edition, people=2)
    response = post(client, form_data(edition))
    assert response.status_code == 400
    assert "La salle est complète" in response.content.decode()
    assert Attendee.objects.count() == 2


@pytest.mark.django_db
def test_a_group_of_more_than_ten_people_is_asked_to_split(client, edition):
    data = add_people(form_data(edition), *[(f"P{n}", "Groupe") for n in range(10)])
    data["people-TOTAL_FORMS"] = "10"
    response = post(client, data)
    assert response.status_code == 400
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_a_would_be_newcomer_becomes_a_journey_enquiry_only_with_consent(
    client, edition, django_capture_on_commit_callbacks
):
    from journey.models import Enquiry

    with django_capture_on_commit_callbacks(execute=True):
        post(client, form_data(edition, email="moving@example.org", thinking_of_moving="on", origin="Paris"))
        post(client, form_data(edition, email="visiting@example.org"))

    enquiry = Enquiry.objects.get()
    assert enquiry.email == "moving@example.org"
    assert enquiry.source == "forum"
    assert enquiry.origin == "Paris"
    moving = Registration.objects.get(email="moving@example.org")
    assert moving.moving_consent_at is not None and moving.enquiry_sent_at is not None
    assert Registration.objects.get(email="visiting@example.org").moving_consent_at is None


@pytest.mark.django_db
def test_an_origin_naming_a_known_commune_is_linked_to_it(client, edition):
    from tests.factories import make_commune

    murat = make_commune()
    post(client, form_data(edition, origin="murat"))
    assert Registration.objects.get().origin_commune == murat


@pytest.mark.django_db
def test_a_signed_in_newcomer_s_registration_is_linked_to_their_account(alice_client, alice, edition):
    alice_client.post(URL, form_data(edition, email=alice.email))
    assert Registration.objects.get().user == alice


@pytest.mark.django_db
def test_without_an_edition_the_page_says_the_forum_is_not_announced(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "pas encore annoncé" in response.content.decode()


@pytest.mark.django_db
def test_the_seats_endpoint_gives_remaining_seats_as_json(client, edition):
    workshop = make_workshop(edition, capacity=4)
    make_registration(edition, people=3, workshops=[workshop])
    data = client.get(reverse("forum:seats")).json()
    assert data == {"workshops": [{"id": workshop.pk, "remaining": 1, "label": "1 place restante"}]}


@pytest.mark.django_db
def test_the_public_programme_lists_talks_workshops_and_exhibitors(client, edition, django_assert_max_num_queries):
    from forum.models import Exhibitor, Speaker
    from tests.forum.factories import make_talk

    speaker = Speaker.objects.create(name="Anne Vidal", organisation="Hautes Terres")
    for n in range(6):
        make_talk(edition, title=f"Conférence {n}").speakers.add(speaker)
        make_workshop(edition, title=f"Atelier {n}").speakers.add(speaker)
    Exhibitor.objects.create(edition=edition, name="Cantal Attractivité", stand="A1")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("forum:programme"))

    body = response.content.decode()
    assert "Conférence 5" in body and "Atelier 5" in body and "Anne Vidal" in body
    assert "Cantal Attractivité" in body and "Stand A1" in body
