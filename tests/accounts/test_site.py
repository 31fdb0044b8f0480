import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles


@pytest.mark.django_db
def test_home_page_is_french_by_default_with_links_to_every_service(client):
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in body
    for name in ["coworking:index", "training:index", "housing:index", "forum:index", "accounts:signup"]:
        assert f'href="{reverse(name)}"' in body


@pytest.mark.django_db
def test_the_language_switcher_turns_the_site_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


@pytest.mark.django_db
def test_every_role_exists_with_its_permissions():
    for role, name in roles.GROUP_NAMES.items():
        group = Group.objects.get(name=name)
        assert group.permissions.exists(), role
    director = Group.objects.get(name=roles.GROUP_NAMES[roles.DIRECTOR])
    assert director.permissions.filter(codename="view_user").exists()
    assert not director.permissions.filter(codename="delete_user").exists()


@pytest.mark.django_db
def test_staff_powers_come_from_groups(client, referent, housing_officer):
    client.force_login(referent)
    assert client.get("/admin/accounts/installationproject/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 403
    client.force_login(housing_officer)
    response = client.get("/admin/accounts/installationproject/")
    assert response.status_code == 200
    assert client.get("/admin/accounts/installationproject/add/").status_code == 403


@pytest.mark.django_db
def test_newcomers_cannot_reach_staff_screens(alice_client):
    assert alice_client.get(reverse("staff-home")).status_code == 302
    assert alice_client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_csp_header_is_sent(client):
    csp = client.get(reverse("home")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
