"""Staff screens: check-in, walk-ins, statistics, mailings, certificates, leads; who may open them."""

import json

import pytest
from django.urls import reverse

from forum.models import Attendee, Mailing, Registration, Seat
from forum.sections import portal, staff_links
from organisation.models import Organisation
from tests.factories import make_commune
from tests.forum.factories import make_edition, make_registration, make_workshop

STAFF_GETS = ["forum:checkin", "forum:walk-in", "forum:statistics", "forum:mailing", "forum:limits"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_GETS)
def test_staff_screens_need_a_login_then_the_forum_role(
    client, alice, forum_organiser, coworking_manager, name, edition
):
    url = reverse(name)
    assert client.get(url).status_code == 302
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(coworking_manager)
    assert client.get(url).status_code == 403
    client.force_login(forum_organiser)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["forum:checkin-scan", "forum:pass-on-newcomers"])
def test_staff_actions_refuse_get_and_outsiders(client, alice, forum_organiser, name, edition):
    url = reverse(name)
    client.force_login(alice)
    assert client.post(url).status_code == 403
    client.force_login(forum_organiser)
    assert client.get(url).status_code == 405


@pytest.fixture
def organiser_client(client, forum_organiser):
    client.force_login(forum_organiser)
    return client


@pytest.mark.django_db
def test_a_scanned_ticket_checks_the_person_in_once(organiser_client, forum_organiser, edition):
    registration = make_registration(edition)
    attendee = registration.attendees.get()
    url = reverse("forum:checkin-scan")

    first = organiser_client.post(url, {"code": attendee.code, "at": ""}, HTTP_ACCEPT="application/json")
    second = organiser_client.post(url, {"code": attendee.code.lower(), "at": ""}, HTTP_ACCEPT="application/json")

    assert first.json() == {"ok": True, "message": "Arrivée de Claire Lefèvre enregistrée. Bienvenue\u00a0!"}
    assert "déjà enregistrée" in second.json()["message"]
    attendee.refresh_from_db()
    assert attendee.checked_in_at is not None and attendee.checked_in_by == forum_organiser


@pytest.mark.django_db
def test_a_typed_code_without_javascript_redirects_with_a_message(organiser_client, edition):
    attendee = make_registration(edition).attendees.get()
    code = f"{attendee.code[:5]}-{attendee.code[5:]}"
    response = organiser_client.post(reverse("forum:checkin-scan"), {"code": code}, follow=True)
    assert "Bienvenue" in response.content.decode()
    attendee.refresh_from_db()
    assert attendee.checked_in_at is not None


@pytest.mark.django_db
def test_an_unknown_or_cancelled_ticket_is_refused_clearly(organiser_client, edition):
    registration = make_registration(edition)
    attendee = registration.attendees.get()
    registration.status = Registration.Status.CANCELLED
    registration.save()
    url = reverse("forum:checkin-scan")

    unknown = organiser_client.post(url, {"code": "NOPE"}, HTTP_ACCEPT="application/json")
    cancelled = organiser_client.post(url, {"code": attendee.code}, HTTP_ACCEPT="application/json")
    empty = organiser_client.post(url, {"code": ""}, HTTP_ACCEPT="application/json")

    assert unknown.status_code == 404 and "Code de billet inconnu" in unknown.json()["message"]
    assert cancelled.status_code == 404 and "annulée" in cancelled.json()["message"]
    assert empty.status_code == 404
    attendee.refresh_from_db()
    assert attendee.checked_in_at is None


@pytest.mark.django_db
def test_a_ticket_of_another_edition_is_unknown_here(organiser_client, edition):
    other = make_registration(make_edition(days_ahead=400)).attendees.get()
    response = organiser_client.post(
        reverse("forum:checkin-scan"), {"code": other.code, "edition": edition.year}, HTTP_ACCEPT="application/json"
    )
    assert response.json()["ok"] is False


@pytest.mark.django_db
def test_check_in_in_a_workshop_room_marks_the_seat_and_the_arrival(organiser_client, edition):
    workshop = make_workshop(edition, title="Salle A")
    other = make_workshop(edition, title="Salle B", start=(16, 0), end=(17, 0))
    attendee = make_registration(edition, workshops=[workshop]).attendees.get()
    url = reverse("forum:checkin-scan")

    ok = organiser_client.post(url, {"code": attendee.code, "at": workshop.pk}, HTTP_ACCEPT="application/json")
    refused = organiser_client.post(url, {"code": attendee.code, "at": other.pk}, HTTP_ACCEPT="application/json")

    assert ok.json()["ok"] is True
    assert refused.json() == {"ok": False, "message": "Claire Lefèvre n'a pas de place dans «\u00a0Salle B\u00a0»."}
    assert Seat.objects.get().checked_in_at is not None
    attendee.refresh_from_db()
    assert attendee.checked_in_at is not None


@pytest.mark.django_db
def test_staff_find_people_by_name_and_check_them_in(organiser_client, edition, django_assert_max_num_queries):
    for n in range(35):
        make_registration(edition, email=f"dupont{n}@example.org", last_name="Dupont")
    target = Attendee.objects.filter(registration__last_name="Dupont").first()

    with django_assert_max_num_queries(12):
        response = organiser_client.get(reverse("forum:checkin"), {"q": "dupont"})
    assert response.status_code == 200
    assert response.content.decode().count("Enregistrer l'arrivée de") == 30

    response = organiser_client.post(reverse("forum:checkin-attendee", args=[target.pk]), {"at": "", "q": "dupont"})
    assert response.status_code == 302 and "q=dupont" in response.url
    target.refresh_from_db()
    assert target.checked_in_at is not None


@pytest.mark.django_db
def test_a_walk_in_is_registered_and_checked_in_at_once(organiser_client, edition):
    murat = make_commune()
    response = organiser_client.post(
        reverse("forum:walk-in"),
        {
            "first_name": "Paul",
            "last_name": "Roux",
            "email": "",
            "origin": "Murat",
            "profile": "elected",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    attendee = Attendee.objects.get()
    assert attendee.checked_in_at is not None and attendee.profile == "elected"
    assert attendee.registration.source == Registration.Source.WALK_IN
    assert attendee.registration.origin_commune == murat


@pytest.mark.django_db
def test_a_walk_in_needs_consent_and_respects_the_venue_capacity(organiser_client):
    edition = make_edition(capacity=1)
    make_registration(edition)
    data = {"first_name": "Paul", "last_name": "Roux", "origin": "Murat", "profile": "elected"}

    no_consent = organiser_client.post(reverse("forum:walk-in"), data)
    full = organiser_client.post(reverse("forum:walk-in"), {**data, "consent": "on"})

    assert no_consent.status_code == 200 and full.status_code == 200
    assert "La salle est complète" in full.content.decode()
    assert Attendee.objects.count() == 1


@pytest.mark.django_db
def test_a_survey_goes_only_to_the_people_who_came(
    organiser_client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    came = make_registration(edition, email="venue@example.org")
    make_registration(edition, email="absente@example.org")
    came.attendees.update(checked_in_at=edition.registration_closes_at)

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("forum:mailing"),
            {"audience": "came", "subject": "Votre avis & vos idées", "body": "Répondez ici : https://enquete.example"},
        )

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["venue@example.org"]]
    assert mailoutbox[0].subject == "Votre avis & vos idées"
    assert "https://enquete.example" in mailoutbox[0].body
    assert Mailing.objects.get().recipient_count == 1


@pytest.mark.django_db
def test_a_message_to_no_shows_skips_the_people_who_came(edition):
    came = make_registration(edition, email="venue@example.org")
    make_registration(edition, email="absente@example.org", people=2)
    came.attendees.update(checked_in_at=edition.registration_closes_at)
    mailing = Mailing(edition=edition, audience=Mailing.Audience.NO_SHOW, subject="s", body="b")
    assert list(mailing.recipients()) == ["absente@example.org"]


@pytest.mark.django_db
def test_statistics_count_registrations_attendance_no_shows_profiles_and_origins(
    organiser_client, edition, django_assert_max_num_queries
):
    make_commune()
    workshop = make_workshop(edition, title="Atelier stat")
    for n in range(12):
        registration = make_registration(
            edition, email=f"s{n}@example.org", origin="Murat" if n % 2 else "Paris", workshops=[workshop]
        )
        if n < 5:
            registration.attendees.update(checked_in_at=edition.registration_closes_at)
            registration.seats.update(checked_in_at=edition.registration_closes_at)

    Organisation.current()  # the body's record, cached for five minutes, is not this page's cost
    with django_assert_max_num_queries(14):
        response = organiser_client.get(reverse("forum:statistics"))

    stats = response.context["stats"]
    assert (stats["confirmed"], stats["people"], stats["came"], stats["no_shows"]) == (12, 12, 5, 7)
    assert stats["territory"] == 6
    assert {o["place"]: o["people"] for o in stats["origins"]} == {"Murat": 6, "Paris": 6}
    assert stats["profiles"] == [{"label": "Télétravailleur ou télétravailleuse", "people": 12, "came": 5}]
    assert stats["workshops"][0].booked == 12 and stats["workshops"][0].came == 5
    body = response.content.decode()
    data = json.loads(body.split('id="forum-chart-data" type="application/json">')[1].split("</script>")[0])
    assert data["workshops"] == {"labels": ["Atelier stat"], "booked": [12], "came": [5]}
    assert "vendor/chart.js/chart.umd.js" in body and "forum/stats.js" in body


@pytest.mark.django_db
def test_staff_pass_on_the_would_be_newcomers_to_the_journey_once(organiser_client, edition):
    from journey.models import Enquiry

    mover = make_registration(edition, email="moving@example.org")
    Registration.objects.filter(pk=mover.pk).update(moving_consent_at=mover.created_at)
    make_registration(edition, email="visitor@example.org")

    organiser_client.post(reverse("forum:pass-on-newcomers"), {"edition": edition.year})
    organiser_client.post(reverse("forum:pass-on-newcomers"), {"edition": edition.year})

    assert list(Enquiry.objects.values_list("email", "source")) == [("moving@example.org", "forum")]
    mover.refresh_from_db()
    assert mover.enquiry_sent_at is not None


@pytest.mark.django_db
def test_workshop_certificates_are_a_pdf_of_the_people_checked_in(organiser_client, edition):
    workshop = make_workshop(edition)
    registration = make_registration(edition, workshops=[workshop], people=2)
    url = reverse("forum:workshop-certificates", args=[workshop.pk])

    assert organiser_client.get(url).status_code == 302
    registration.seats.update(checked_in_at=edition.registration_closes_at)
    response = organiser_client.get(url)

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_staff_links_follow_the_role(forum_organiser, alice, director):
    labels = [label for label, _url in staff_links(forum_organiser)]
    assert len(labels) == 6
    assert staff_links(alice) == []
    # The director's "*.view_*" covers the statistics (view_statistics), nothing that changes data.
    assert [url for _l, url in staff_links(director)] == [reverse("forum:statistics")]


@pytest.mark.django_db
def test_the_portal_shows_my_forum_registrations_by_account_or_email(rf, alice, bob, edition):
    make_registration(edition, email=alice.email.upper(), people=3)
    make_registration(edition, email=bob.email)
    request = rf.get("/portal/")
    request.user = alice

    template, context = portal(request)

    assert template == "forum/portal_section.html"
    assert [r.people for r in context["registrations"]] == [3]


@pytest.mark.django_db
def test_the_portal_page_renders_the_forum_card(alice_client, alice, edition):
    registration = make_registration(edition, email=alice.email)
    body = alice_client.get(reverse("portal")).content.decode()
    assert "Forum du télétravail" in body and registration.get_absolute_url() in body


@pytest.mark.django_db
def test_a_new_edition_copies_last_year_s_programme_structure(admin_client, edition):
    from forum.models import Edition, Speaker, Workshop

    speaker = Speaker.objects.create(name="Anne Vidal")
    make_workshop(edition, title="Atelier repris", capacity=15).speakers.add(speaker)
    response = admin_client.post(
        reverse("admin:forum_edition_changelist"), {"action": "copy_to_next_year", "_selected_action": [edition.pk]}
    )

    assert response.status_code == 302
    copy = Edition.objects.get(year=edition.year + 1)
    assert not copy.is_published
    assert copy.start_date.weekday() == edition.start_date.weekday()
    copied = Workshop.objects.get(edition=copy)
    assert (copied.title, copied.capacity, list(copied.speakers.all())) == ("Atelier repris", 15, [speaker])
    assert copied.seats.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["edition", "talk", "workshop", "speaker", "exhibitor", "registration", "attendee", "seat", "mailing"]
)
def test_every_forum_model_has_a_working_admin(admin_client, edition, model):
    make_registration(edition, workshops=[make_workshop(edition)])
    assert admin_client.get(reverse(f"admin:forum_{model}_changelist"), {"q": "a"}).status_code == 200
    assert admin_client.get(reverse(f"admin:forum_{model}_add")).status_code == 200
