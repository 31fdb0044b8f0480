"""The forum's public forms count what costs the site (registrations made, emails sent), not refused forms;
an organiser can lift a block."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from forum.models import Registration
from tests.forum.factories import form_data, make_registration

URL = reverse("forum:index")
RESEND = reverse("forum:resend-link")
LIMITS = reverse("forum:limits")


@pytest.mark.django_db
def test_invalid_posts_with_someones_address_do_not_block_it(client, edition, settings):
    settings.FORUM_THROTTLE_PER_EMAIL = 2
    for email in ["claire@example.org", "CLAIRE@example.org", "Claire@Example.org", "claire@example.org"] * 2:
        assert client.post(URL, form_data(edition, email=email, consent=None)).status_code == 400

    response = client.post(URL, form_data(edition, email="claire@example.org"))

    assert response.status_code == 302
    assert Registration.objects.get().email == "claire@example.org"


@pytest.mark.django_db
def test_bogus_posts_from_a_shared_connection_do_not_block_it(client, edition, settings):
    settings.FORUM_THROTTLE_PER_IP = 3
    shared = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(13):
        client.post(URL, form_data(edition, email=f"p{n}@example.org", origin=""), **shared)

    response = client.post(URL, form_data(edition, email="someone@example.org"), **shared)

    assert response.status_code == 302


@pytest.mark.django_db
def test_registrations_made_count_per_connection_and_the_page_says_when_to_retry(client, edition, settings):
    settings.FORUM_THROTTLE_PER_IP = 3
    shared = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(3):
        assert client.post(URL, form_data(edition, email=f"p{n}@example.org"), **shared).status_code == 302

    refused = client.post(URL, form_data(edition, email="p9@example.org"), **shared)
    other = client.post(URL, form_data(edition, email="p10@example.org"), REMOTE_ADDR="203.0.113.10")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Réessayez dans" in refused.content.decode()
    assert other.status_code == 302
    assert Registration.objects.count() == 4


@pytest.mark.django_db
def test_a_block_on_an_address_ignores_case_and_plus_tags(client, edition, mailoutbox):
    make_registration(edition, email="claire@example.org")
    for _ in range(3):
        assert client.post(RESEND, {"email": "claire@example.org"}, REMOTE_ADDR="198.51.100.1").status_code == 302
    sent = len(mailoutbox)

    upper = client.post(RESEND, {"email": "CLAIRE@Example.org"}, REMOTE_ADDR="198.51.100.2")
    tagged = client.post(RESEND, {"email": "claire+x@example.org"}, REMOTE_ADDR="198.51.100.3")

    assert (upper.status_code, tagged.status_code) == (429, 429)
    assert "Réessayez dans" in upper.content.decode()
    assert len(mailoutbox) == sent


@pytest.mark.django_db
def test_an_invalid_resend_request_counts_nothing(client, edition):
    for _ in range(10):
        client.post(RESEND, {"email": "not an address"})
    assert client.post(RESEND, {"email": "claire@example.org"}).status_code == 302


@pytest.mark.django_db
def test_an_organiser_lifts_a_block_and_it_is_audited(client, edition, forum_organiser):
    make_registration(edition, email="claire@example.org")
    for _ in range(3):
        client.post(RESEND, {"email": "claire@example.org"})
    assert client.post(RESEND, {"email": "claire@example.org"}).status_code == 429

    client.force_login(forum_organiser)
    response = client.post(LIMITS, {"value": "Claire@example.org", "edition": edition.year})
    client.logout()

    assert response.status_code == 302
    assert client.post(RESEND, {"email": "claire@example.org"}).status_code == 302
    event = AuditEvent.objects.get(action="forum block lifted")
    assert event.actor == forum_organiser
    assert event.reason == "Claire@example.org"


@pytest.mark.django_db
def test_an_organiser_lifts_a_block_on_a_connection(client, edition, forum_organiser, settings):
    settings.FORUM_THROTTLE_PER_IP = 1
    shared = {"REMOTE_ADDR": "203.0.113.9"}
    client.post(URL, form_data(edition, email="a@example.org"), **shared)
    assert client.post(URL, form_data(edition, email="b@example.org"), **shared).status_code == 429

    client.force_login(forum_organiser)
    client.post(LIMITS, {"value": "203.0.113.9", "edition": edition.year})
    client.logout()

    assert client.post(URL, form_data(edition, email="b@example.org"), **shared).status_code == 302


@pytest.mark.django_db
def test_only_organisers_lift_blocks(client, edition, alice, coworking_manager):
    make_registration(edition, email="claire@example.org")
    for _ in range(3):
        client.post(RESEND, {"email": "claire@example.org"})
    for person in (alice, coworking_manager):
        client.force_login(person)
        assert client.post(LIMITS, {"value": "claire@example.org"}).status_code == 403
    client.logout()
    assert client.post(LIMITS, {"value": "claire@example.org"}).status_code == 302  # to the login page
    assert client.post(RESEND, {"email": "claire@example.org"}).status_code == 429
    assert not AuditEvent.objects.filter(action="forum block lifted").exists()
