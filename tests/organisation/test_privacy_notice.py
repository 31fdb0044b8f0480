"""The privacy notice (GDPR art. 13) and the register of processing (art. 30), generated from the organisation
record and the register kept in privacy/processing.py."""

import pytest
from django.urls import reverse

from privacy import processing
from tests.organisation.test_legal_notice import footer_link

pytestmark = pytest.mark.django_db


def test_a_visitor_reads_who_processes_their_data_and_how_to_reach_the_dpo(client, organisation):
    organisation.dpo_name = "Syndicat mixte numérique, Mme Lina Roche"
    organisation.dpo_email = "dpo@syndicat-numerique.example"
    organisation.dpo_postal_address = "2 place de la Mairie\n48000 Mende"
    organisation.save()
    page = client.get(footer_link(client, "Données personnelles")).content.decode()
    assert f"<strong>{organisation.legal_name}</strong>, représentée par Gilles Chabrier, Président" in page
    assert "Syndicat mixte numérique, Mme Lina Roche" in page
    assert '<a href="mailto:dpo@syndicat-numerique.example">' in page and "2 place de la Mairie<br>48000 Mende" in page


def test_each_processing_gives_its_purpose_basis_recipients_retention_and_rights(client, organisation):
    page = client.get(reverse("privacy")).content.decode()
    for activity in processing.ACTIVITIES:
        assert f'id="processing-{activity["key"]}"' in page
    assert "Mission d’intérêt public (art. 6, 1, e) du RGPD)" in page
    assert "intérêt légitime" not in page.lower()
    assert "Feuilles d’émargement, contrats et attestations 6 ans après la session" in page
    assert "le certificateur Qualiopi lors de son audit" in page
    assert "effacement, sauf ce que la collectivité doit conserver" in page
    assert "Le droit à la portabilité (art. 20) ne s’applique pas" in page
    assert "www.cnil.fr/fr/plaintes" in page and "3 place de Fontenoy" in page


def test_only_the_forum_optional_uses_rest_on_consent_and_open_portability():
    by_key = {activity["key"]: activity for activity in processing.activities()}
    assert [key for key, activity in by_key.items() if activity["optional"]] == ["forum"]
    portability = processing.RIGHTS[processing.Basis.CONSENT][3]
    assert portability in by_key["forum"]["rights"]
    assert all(portability not in by_key[key]["rights"] for key in by_key if key != "forum")
    assert all(processing.Basis.CONSENT not in [b for b, _d in a["bases"]] for a in processing.ACTIVITIES)


def test_the_register_names_controller_dpo_host_every_processing_and_the_security_measures(client, director):
    from organisation.demo import seed_record

    organisation = seed_record()
    client.force_login(director)
    page = client.get(reverse("privacy:register")).content.decode()
    assert f"{organisation.legal_name} (SIREN {organisation.siren})" in page
    assert organisation.dpo_email in page and organisation.host_name in page
    for name in ("Parcours des nouveaux arrivants et suivi", "Impact et finances du programme", "Comptes et connexion"):
        assert name in page
    assert "Mesures de sécurité" in page and "double authentification pour les agents" in page
    assert "Transferts hors de l’UE" in page
