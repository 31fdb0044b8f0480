"""The legal notice (LCEN art. 6): publisher, publication director, host and contact, read from the record."""

import re

import pytest
from django.urls import reverse

from organisation.models import Organisation

pytestmark = pytest.mark.django_db


def footer_link(client, label):
    """The address a visitor follows from the footer of the home page for this label."""
    page = client.get("/").content.decode()
    footer = page[page.index("<footer") :]
    match = re.search(r'<a href="([^"]+)">' + re.escape(label) + "</a>", footer)
    assert match, f"no footer link {label!r}"
    return match.group(1)


def test_a_visitor_reaches_the_legal_notice_from_the_footer(client, organisation):
    address = footer_link(client, "Mentions légales")
    assert address == reverse("legal-notice")
    page = client.get(address).content.decode()
    assert "<h1>Mentions légales</h1>" in page
    for value in (
        organisation.legal_name,
        "4 rue du Faubourg Notre-Dame<br>15300 Murat",
        f"SIREN\u00a0: {organisation.siren}",
        f"Téléphone\u00a0: {organisation.phone}",
        f'<a href="mailto:{organisation.email}">',
        "Représentant légal\u00a0: Gilles Chabrier, Président.",
        organisation.publication_director,
        organisation.host_name,
        "1 rue de l’Exemple<br>15000 Aurillac",
        f"Téléphone\u00a0: {organisation.host_phone}",
    ):
        assert value in page, value


def test_the_legal_notice_follows_what_the_director_sets_in_the_admin(admin_client, client, organisation):
    organisation.legal_name = "Communauté de communes du Haut-Ouche"
    organisation.publication_director = "Anne Morel, Présidente"
    organisation.host_name = "Hébergeur public de la Région"
    organisation.save()
    page = client.get(reverse("legal-notice")).content.decode()
    assert "Communauté de communes du Haut-Ouche" in page
    assert "Anne Morel, Présidente" in page and "Hébergeur public de la Région" in page
    assert "Hautes Terres Communauté" not in page


def test_the_legal_notice_serves_before_the_record_is_filled_in(client):
    assert not Organisation.objects.exists()
    response = client.get(reverse("legal-notice"))
    assert response.status_code == 200
    assert "Pas encore renseigné." in response.content.decode()
