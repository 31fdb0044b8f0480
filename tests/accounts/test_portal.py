import pytest
from django.urls import reverse

from accounts.models import Household, HouseholdMember, InstallationProject
from tests.factories import make_commune, make_household, make_project


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["portal", "accounts:profile", "accounts:household", "accounts:project", "accounts:delete"]
)
def test_anonymous_visitors_are_sent_to_login(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.django_db
def test_the_portal_shows_my_project_and_household_not_bob_s(client, alice, bob, referent):
    make_project(alice, sector="Graphisme", stage=InstallationProject.Stage.PREPARATION, referent=referent)
    make_household(alice, [{"first_name": "Léo", "role": "child", "schooling": "enrolled"}])
    make_project(bob, sector="Menuiserie")
    make_household(bob, [{"first_name": "Zoé", "role": "partner"}])
    client.force_login(alice)

    body = client.get(reverse("portal")).content.decode()

    assert "Graphisme" in body and "Léo" in body
    assert "Préparation" in body and "Rémi Référent" in body
    assert "Menuiserie" not in body and "Zoé" not in body


@pytest.mark.django_db
def test_a_newcomer_describes_their_project(alice_client, alice):
    murat = make_commune()
    response = alice_client.post(
        reverse("accounts:project"),
        {
            "kind": "creation",
            "sector": "Photographie",
            "description": "Studio",
            "target_commune": murat.pk,
            "desired_arrival": "2027-03-01",
        },
    )

    assert response.status_code == 302
    project = InstallationProject.objects.get(newcomer=alice)
    assert project.stage == InstallationProject.Stage.ENQUIRY
    assert project.target_commune == murat
    assert str(project.desired_arrival) == "2027-03-01"


@pytest.mark.django_db
def test_the_project_date_accepts_french_format(alice_client, alice):
    alice_client.post(reverse("accounts:project"), {"kind": "freelance", "desired_arrival": "15/04/2027"})
    assert str(InstallationProject.objects.get(newcomer=alice).desired_arrival) == "2027-04-15"


def household_data(**members):
    data = {
        "origin": "Lyon",
        "notes": "",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "20",
    }
    for i, member in enumerate(members.values()):
        for key, value in member.items():
            data[f"members-{i}-{key}"] = value
    return data


@pytest.mark.django_db
def test_a_newcomer_lists_their_household(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:household"),
        household_data(
            a={"first_name": "Paul", "role": "partner", "schooling": "na"},
            b={
                "first_name": "Léa",
                "role": "child",
                "birth_year": "2018",
                "schooling": "enrolled",
                "school_name": "École de Murat",
            },
        ),
    )

    assert response.status_code == 302
    household = alice.household
    assert household.origin == "Lyon"
    assert household.size == 3
    assert household.members.get(first_name="Léa").in_local_school


@pytest.mark.django_db
def test_only_children_can_be_enrolled_in_school(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:household"),
        household_data(a={"first_name": "Paul", "role": "partner", "schooling": "enrolled"}),
    )

    assert response.status_code == 200
    assert "Seul un enfant peut être inscrit dans une école" in response.content.decode()
    assert not HouseholdMember.objects.exists()


@pytest.mark.django_db
def test_profile_edit(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:profile"),
        {"first_name": "Alicia", "last_name": "Martin", "phone": "04 71 20 00 00", "preferred_language": "en"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.first_name == "Alicia" and alice.preferred_language == "en"


@pytest.mark.django_db
def test_account_deletion_needs_the_password_and_erases_personal_data(alice_client, alice, password):
    make_project(alice)
    make_household(alice, [{"first_name": "Léo", "role": "child"}])

    response = alice_client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert alice.__class__.objects.filter(pk=alice.pk).exists()

    response = alice_client.post(reverse("accounts:delete"), {"password": password})
    assert response.status_code == 302
    assert not alice.__class__.objects.filter(pk=alice.pk).exists()
    assert not InstallationProject.objects.exists()
    assert not HouseholdMember.objects.exists()


@pytest.mark.django_db
def test_changes_to_personal_data_are_audited(alice_client, alice):
    from audit.models import AuditEvent

    alice_client.post(
        reverse("accounts:profile"),
        {"first_name": "Alicia", "last_name": "Martin", "phone": "", "preferred_language": "fr"},
    )

    event = AuditEvent.objects.get(action="profile changed")
    assert event.actor == alice
    assert event.changes == {"first_name": ["Alice", "Alicia"]}


@pytest.mark.django_db
def test_showing_the_household_page_creates_no_household(alice_client, alice):
    assert alice_client.get(reverse("accounts:household")).status_code == 200
    assert not Household.objects.exists()

    alice_client.post(reverse("accounts:household"), household_data(a={"first_name": "", "role": "partner"}))
    assert not Household.objects.exists(), "a refused form created the household"
