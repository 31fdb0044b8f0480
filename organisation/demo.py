"""The demo territory's body: Hautes Terres Communauté, its contacts, legal mentions and signatories.

Demo data only: a real deployment fills the same record in the admin. Idempotent: a record or a signatory
the director has already filled in is left as it is.
"""

import datetime

from organisation.models import Organisation, Signatory

RECORD = {
    "legal_name": "Hautes Terres Communauté",
    "short_name": "Télécentre des Hautes Terres",
    "siren": "200066637",
    "postal_address": "4 rue du Faubourg Notre-Dame\n15300 Murat",
    "town": "Murat",
    "phone": "04 71 20 22 68",
    "email": "contact@telecentre.demo",
    "website": "https://www.hautesterres.fr",
    "main_colour": "#1d4f7a",
    "representative_name": "Gilles Chabrier",
    "representative_quality": "Président",
    "publication_director": "Gilles Chabrier, Président",
    "dpo_name": "Centre de gestion du Cantal, service mutualisé de protection des données",
    "dpo_email": "dpo@telecentre.demo",
    "dpo_postal_address": "Centre de gestion du Cantal\n15000 Aurillac",
    "host_name": "Hébergeur de démonstration",
    "host_address": "1 rue de l’Exemple\n15000 Aurillac",
    "host_phone": "04 71 00 00 00",
    "tribunal_name": "Tribunal administratif de Clermont-Ferrand",
    "tribunal_address": "6 cours Sablon\nCS 90129\n63033 Clermont-Ferrand Cedex 1",
    "training_nda": "84150123415",
    "training_siret": "20006663700014",
    "qualiopi_certificate": "QUA-2025-00417",
    "qualiopi_certifier": "Certificateur de démonstration",
    "disability_referent": "Thomas Lafon, formation@telecentre.demo, 04 71 20 22 68",
}

SIGNATORIES = [
    (Signatory.Kind.HOUSING_ALLOCATION, "Colette Vidal", "Vice-présidente chargée du logement", "arrêté n° 2026-12"),
    (
        Signatory.Kind.TRAINING_DOCUMENTS,
        "Martine Delpuech",
        "Vice-présidente chargée de la formation",
        "arrêté n° 2026-14",
    ),
    (Signatory.Kind.SELECTION_COMMITTEE, "Gilles Chabrier", "Président", ""),
]


def seed_record():
    """The demo body and one signatory of each kind, unless the director has filled them in already."""
    organisation = Organisation.objects.filter(pk=1).first()
    if organisation is None:
        organisation = Organisation(**RECORD)
        organisation.save()
    for kind, name, quality, reference in SIGNATORIES:
        if organisation.signatory_for(kind) is None:
            organisation.signatories.create(
                kind=kind,
                name=name,
                quality=quality,
                delegation_reference=reference,
                delegation_date=datetime.date(2026, 1, 5) if reference else None,
            )
    return organisation


def seed(stdout):
    organisation = seed_record()
    stdout.write(f"  organisation: {organisation.legal_name}, {organisation.signatories.count()} signatories.")
