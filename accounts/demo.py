"""Demo people: communes of the territory, staff of every role and newcomers at every stage."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import Commune, Household, InstallationProject, User

DEMO_PASSWORD = "telecentre-demo"

COMMUNES = [
    ("15138", "Murat", "15300"),
    ("15003", "Allanche", "15160"),
    ("15001", "Albepierre-Bredons", "15300"),
    ("15054", "Condat", "15190"),
    ("15061", "Dienne", "15300"),
    ("15101", "Laveissière", "15300"),
    ("15114", "Marcenat", "15190"),
    ("15141", "Neussargues en Pinatelle", "15170"),
    ("15162", "Riom-ès-Montagnes", "15400"),
    ("15225", "Ségur-les-Villas", "15300"),
]

STAFF = [
    ("direction@telecentre.demo", "Dominique", "Vialard", roles.DIRECTOR),
    ("coworking@telecentre.demo", "Camille", "Bonnefoy", roles.COWORKING_MANAGER),
    ("formation@telecentre.demo", "Thomas", "Lafon", roles.TRAINING_MANAGER),
    ("logement@telecentre.demo", "Hélène", "Chassang", roles.HOUSING_OFFICER),
    ("forum@telecentre.demo", "Fanny", "Delmas", roles.FORUM_ORGANISER),
    ("accueil@telecentre.demo", "Rémi", "Cabrol", roles.NEWCOMER_REFERENT),
]

# email, first name, last name, kind, sector, stage, commune, origin, household members
NEWCOMERS = [
    ("claire@demo.example", "Claire", "Lefèvre", "freelance", "Graphisme", "enquiry", "15138", "Lyon", []),
    (
        "julien@demo.example",
        "Julien",
        "Moreau",
        "salaried",
        "Développement logiciel",
        "preparation",
        "15003",
        "Paris",
        [("Sophie", "partner", None, "na"), ("Hugo", "child", 2017, "to_enrol")],
    ),
    (
        "amina@demo.example",
        "Amina",
        "Benali",
        "creation",
        "Fromagerie fermière",
        "application",
        "15054",
        "Clermont-Ferrand",
        [("Karim", "partner", None, "na")],
    ),
    (
        "pierre@demo.example",
        "Pierre",
        "Garnier",
        "takeover",
        "Boulangerie",
        "committee",
        "15138",
        "Bordeaux",
        [("Lucie", "partner", None, "na"), ("Emma", "child", 2015, "to_enrol"), ("Noah", "child", 2019, "to_enrol")],
    ),
    ("sarah@demo.example", "Sarah", "Petit", "freelance", "Traduction", "offer", "15101", "Bruxelles", []),
    (
        "marc@demo.example",
        "Marc",
        "Rousseau",
        "creation",
        "Menuiserie",
        "in_residence",
        "15141",
        "Nantes",
        [("Inès", "partner", None, "na"), ("Léo", "child", 2016, "enrolled")],
    ),
    (
        "laura@demo.example",
        "Laura",
        "Fontaine",
        "salaried",
        "Comptabilité",
        "installed",
        "15138",
        "Toulouse",
        [("Antoine", "partner", None, "na"), ("Jade", "child", 2014, "enrolled"), ("Tom", "child", 2018, "enrolled")],
    ),
    (
        "nicolas@demo.example",
        "Nicolas",
        "Mercier",
        "creation",
        "Photographie",
        "followed_up",
        "15114",
        "Lille",
        [("Chloé", "partner", None, "na"), ("Lina", "child", 2020, "enrolled")],
    ),
    ("elodie@demo.example", "Élodie", "Faure", "freelance", "Conseil RH", "closed", "15162", "Marseille", []),
]


def seed(stdout):
    for insee, name, postal in COMMUNES:
        Commune.objects.update_or_create(insee_code=insee, defaults={"name": name, "postal_code": postal})

    admin, created = User.objects.get_or_create(
        email="admin@telecentre.demo",
        defaults={"first_name": "Alex", "last_name": "Admin", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()

    staff = {}
    for email, first, last, role in STAFF:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "is_staff": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[role]))
        staff[role] = user

    today = timezone.localdate()
    for email, first, last, kind, sector, stage, insee, origin, members in NEWCOMERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "email_confirmed_at": timezone.now()}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        InstallationProject.objects.get_or_create(
            newcomer=user,
            defaults={
                "kind": kind,
                "sector": sector,
                "stage": stage,
                "target_commune": Commune.objects.get(insee_code=insee),
                "desired_arrival": today + datetime.timedelta(days=90),
                "referent": staff[roles.NEWCOMER_REFERENT],
            },
        )
        household, created = Household.objects.get_or_create(owner=user, defaults={"origin": origin})
        if created:
            for member_first, role, birth_year, schooling in members:
                household.members.create(first_name=member_first, role=role, birth_year=birth_year, schooling=schooling)
    stdout.write(f"  accounts: {len(COMMUNES)} communes, {len(STAFF) + 1} staff, {len(NEWCOMERS)} newcomers")
