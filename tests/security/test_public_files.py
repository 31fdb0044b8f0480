"""What the site answers to robots, security researchers and odd HTTP methods (issue 22, item 11)."""

import datetime

import pytest
import time_machine
from django.test import Client, override_settings

from organisation.models import Organisation


def make_organisation(**fields):
    values = {
        "legal_name": "Communauté de communes du Haut-Cantal",
        "short_name": "Haut-Cantal",
        "postal_address": "1 place de la Mairie\n15300 Murat",
        "town": "Murat",
        "email": "contact@haut-cantal.example.fr",
        "representative_name": "Jeanne Roux",
        "representative_quality": "Présidente",
        "publication_director": "Jeanne Roux",
        "dpo_name": "Paul Blanc",
        "dpo_email": "dpo@haut-cantal.example.fr",
        "dpo_postal_address": "1 place de la Mairie\n15300 Murat",
        "host_name": "Hébergeur SAS",
        "host_address": "Paris",
        "tribunal_name": "Tribunal administratif de Clermont-Ferrand",
        "tribunal_address": "Clermont-Ferrand",
    }
    organisation = Organisation(**(values | fields))
    organisation.save()
    return organisation


def fields_of(text):
    return dict(line.split(": ", 1) for line in text.splitlines() if line and not line.startswith("#"))


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 15, 0, tzinfo=datetime.UTC), tick=False)
def test_security_txt_names_the_bodys_contact_and_expires_within_a_year(client):
    make_organisation()

    response = client.get("/.well-known/security.txt", secure=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = fields_of(response.content.decode())
    assert fields["Contact"] == "mailto:contact@haut-cantal.example.fr"
    assert fields["Preferred-Languages"] == "fr, en"
    assert fields["Canonical"] == "https://testserver/.well-known/security.txt"
    expires = datetime.datetime.fromisoformat(fields["Expires"])
    assert datetime.timedelta(days=300) < expires - datetime.datetime.now(datetime.UTC) < datetime.timedelta(days=365)


@pytest.mark.django_db
def test_security_txt_follows_the_record_when_the_director_changes_the_address(client):
    organisation = make_organisation()
    organisation.email = "securite@haut-cantal.example.fr"
    organisation.save()

    response = client.get("/.well-known/security.txt")

    assert fields_of(response.content.decode())["Contact"] == "mailto:securite@haut-cantal.example.fr"


@pytest.mark.django_db
def test_security_txt_is_absent_until_a_contact_is_recorded(client):
    assert client.get("/.well-known/security.txt").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/admin/", "/staff/", "/*/staff/", "/portal/", "/accounts/", "/privacy/my-data/", "/forum/r/"]
)
def test_robots_txt_keeps_crawlers_out_of_staff_and_private_pages(client, path):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Disallow: {path}" in lines


@pytest.mark.django_db
def test_robots_txt_leaves_the_public_pages_open(client):
    disallowed = [line.split(": ", 1)[1] for line in client.get("/robots.txt").content.decode().splitlines()[1:]]

    for public in ["/", "/forum/", "/forum/programme/", "/trainings/", "/coworking/", "/housing/", "/privacy/"]:
        assert not [path for path in disallowed if "*" not in path and public.startswith(path)]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/forum/", "/admin/login/", "/accounts/password/reset/"])
def test_options_names_only_get_head_post_and_options(client, path):
    response = client.options(path)

    assert response.status_code == 200
    allowed = {method.strip() for method in response["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "POST", "OPTIONS"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete", "trace"])
def test_methods_no_page_takes_are_refused_before_the_view(alice_client, method, password):
    response = getattr(alice_client, method)("/accounts/login/", {"username": "alice@example.org"})

    assert response.status_code == 405
    assert "PUT" not in response["Allow"] and "DELETE" not in response["Allow"]


@pytest.mark.django_db
def test_static_files_are_not_shared_with_every_origin():
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/favicon.svg", headers={"origin": "https://elsewhere.example"})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_the_site_itself_sends_no_server_banner(client):
    assert "Server" not in client.get("/robots.txt")


def test_nginx_hides_its_version(settings):
    conf = (settings.BASE_DIR / "deploy" / "nginx" / "telecentre.conf").read_text()

    assert "server_tokens off;" in conf
    assert "proxy_pass_header Server" not in conf  # gunicorn's "Server: gunicorn" stays hidden behind nginx
