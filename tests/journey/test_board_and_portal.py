import re

import pytest
from django.urls import reverse

from accounts.models import InstallationProject
from journey.models import Document, Enquiry
from tests.factories import make_user
from tests.journey.factories import make_newcomer_project, pdf_upload

Stage = InstallationProject.Stage
pytestmark = pytest.mark.django_db


def test_the_board_groups_projects_by_stage_and_filters_them(client, referent):
    make_newcomer_project(newcomer=make_user(last_name="Lefèvre"), referent=referent)
    make_newcomer_project(newcomer=make_user(last_name="Moreau"), referent=referent, stage=Stage.PREPARATION)
    make_newcomer_project(newcomer=make_user(last_name="Benali"), stage=Stage.PREPARATION, kind="salaried")
    client.force_login(referent)

    response = client.get(reverse("journey:board"))
    columns = dict(response.context["columns"])
    assert len(columns[Stage.ENQUIRY]) == 1
    assert len(columns[Stage.PREPARATION]) == 2

    assert client.get(reverse("journey:board"), {"stage": "preparation"}).context["total"] == 2
    assert client.get(reverse("journey:board"), {"referent": referent.pk}).context["total"] == 2
    assert client.get(reverse("journey:board"), {"kind": "salaried"}).context["total"] == 1
    assert client.get(reverse("journey:board"), {"q": "moreau"}).context["total"] == 1


@pytest.mark.parametrize("count", [5, 40])
def test_the_board_query_count_does_not_grow_with_projects(client, referent, django_assert_max_num_queries, count):
    for _ in range(count):
        make_newcomer_project(referent=referent)
    client.force_login(referent)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("journey:board"))
    assert response.context["total"] == count


def test_the_portal_shows_the_stage_what_is_missing_and_the_referent(alice_client, alice, referent):
    project = make_newcomer_project(newcomer=alice, referent=referent, description="")
    Document.objects.create(
        project=project,
        kind="cv",
        file=pdf_upload(),
        original_name="cv.pdf",
        content_type="application/pdf",
        status="refused",
        refusal_reason="Illisible",
    )

    body = alice_client.get(reverse("portal")).content.decode()

    assert reverse("journey:mine") in body
    assert str(project.get_stage_display()) in body
    assert referent.email in body
    assert "1 pièce a été refusée" in body


def test_a_visitor_sends_an_enquiry_from_the_website(client):
    response = client.post(
        reverse("journey:enquire"),
        {"first_name": "Léa", "last_name": "Roux", "email": "Lea@example.org", "origin": "Lyon", "consent": "on"},
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.source, enquiry.email) == (Enquiry.Source.WEBSITE, "lea@example.org")


def test_an_enquiry_without_consent_is_not_recorded(client):
    response = client.post(
        reverse("journey:enquire"), {"first_name": "Léa", "last_name": "Roux", "email": "lea@example.org"}
    )
    assert response.status_code == 200
    assert not Enquiry.objects.exists()


def test_converting_an_enquiry_invites_the_person_and_opens_a_project(
    client, referent, mailoutbox, django_capture_on_commit_callbacks
):
    enquiry = Enquiry.objects.create(
        first_name="Léa", last_name="Roux", email="lea@example.org", source="forum", origin="Lyon"
    )
    client.force_login(referent)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("journey:enquiry-convert", args=[enquiry.pk]))

    enquiry.refresh_from_db()
    project = enquiry.project
    assert response.status_code == 302
    assert enquiry.status == Enquiry.Status.CONVERTED
    assert project.newcomer.email == "lea@example.org"
    assert project.referent == referent
    assert not project.newcomer.has_usable_password()
    assert project.newcomer.household.origin == "Lyon"
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body

    again = client.post(reverse("journey:enquiry-convert", args=[enquiry.pk]))
    assert again.status_code == 302
    assert InstallationProject.objects.count() == 1

    # The invitation's link is the person's own: it opens the page where they choose a password.
    link = re.search(r"\S*/accounts/password/reset/\S+", mailoutbox[0].body)[0]
    client.logout()
    opened = client.get(link)
    assert opened.status_code == 302 and opened.url.endswith("/set-password/")


def test_converting_links_an_existing_account(client, referent, alice):
    enquiry = Enquiry.objects.create(first_name="A", last_name="M", email="ALICE@example.org", source="phone")
    client.force_login(referent)
    client.post(reverse("journey:enquiry-convert", args=[enquiry.pk]))
    enquiry.refresh_from_db()
    assert enquiry.project.newcomer == alice


def test_staff_home_lists_the_journey_screens_for_the_referent(client, referent):
    client.force_login(referent)
    body = client.get(reverse("staff-home")).content.decode()
    assert reverse("journey:board") in body
    assert reverse("journey:enquiries") in body
