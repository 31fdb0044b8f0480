"""Volume data for accounts: communes, one staff user per role, newcomers with households and projects."""

import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts import roles
from accounts.demo import COMMUNES
from accounts.models import Commune, Household, HouseholdMember, InstallationProject, User

PASSWORD = "telecentre-scale"
FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Emma", "Sarah", "Julie",
    "Lucas", "Hugo", "Louis", "Nathan", "Jules", "Arthur", "Paul", "Thomas", "Antoine", "Maxime",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Vidal", "Delmas", "Chassang", "Vialard", "Cabrol", "Lafon", "Bonnefoy", "Aurillac", "Lavergne", "Meallet",
]  # fmt: skip
ORIGINS = ["Paris", "Lyon", "Clermont-Ferrand", "Bordeaux", "Nantes", "Lille", "Toulouse", "Marseille", "Bruxelles"]
SECTORS = ["Développement logiciel", "Graphisme", "Traduction", "Comptabilité", "Menuiserie", "Boulangerie", "Conseil"]
# Stage weights: most projects are early or closed, few are at a given middle step at once.
STAGES = [
    (InstallationProject.Stage.ENQUIRY, 30),
    (InstallationProject.Stage.PREPARATION, 15),
    (InstallationProject.Stage.APPLICATION, 8),
    (InstallationProject.Stage.COMMITTEE, 3),
    (InstallationProject.Stage.OFFER, 3),
    (InstallationProject.Stage.IN_RESIDENCE, 4),
    (InstallationProject.Stage.INSTALLED, 10),
    (InstallationProject.Stage.FOLLOWED_UP, 12),
    (InstallationProject.Stage.CLOSED, 15),
]
TERRITORY_COMMUNES = 250


def seed(scale):
    password = make_password(PASSWORD)  # hashed once: every generated account shares it
    communes = seed_communes(scale)
    staff = seed_staff(scale, password)
    count = scale.count(20_000)
    years = 6
    scale.insert(
        User,
        (
            User(
                email=scale.newcomer_email(n),
                password=password,
                first_name=scale.pick(FIRST_NAMES),
                last_name=scale.pick(LAST_NAMES),
                email_confirmed_at=scale.now,
                date_joined=scale.now - datetime.timedelta(days=int(years * 365 * (count - n) / count)),
            )
            for n in range(count)
        ),
    )
    newcomers = scale.newcomer_ids()
    scale.insert(
        Household,
        (Household(owner_id=user_id, origin=scale.pick(ORIGINS)) for user_id in newcomers),
    )
    household_ids = list(Household.objects.filter(owner_id__in=newcomers).values_list("id", flat=True))
    members = scale.insert(HouseholdMember, household_members(scale, household_ids))
    stages = [stage for stage, weight in STAGES for _ in range(weight)]
    referent = staff[roles.NEWCOMER_REFERENT].pk
    scale.insert(
        InstallationProject,
        (
            InstallationProject(
                newcomer_id=user_id,
                kind=scale.pick(InstallationProject.Kind.values),
                sector=scale.pick(SECTORS),
                target_commune_id=scale.pick(communes),
                desired_arrival=scale.day(scale.random.randint(-700, 300)),
                stage=scale.pick(stages),
                stage_changed_at=scale.now - datetime.timedelta(days=scale.random.randint(0, 700)),
                referent_id=referent,
            )
            for user_id in newcomers
        ),
    )
    return f"{len(communes)} communes, {len(staff)} staff, {len(newcomers)} newcomers, {members} household members"


def seed_communes(scale):
    known = {insee for insee, _name, _postal in COMMUNES}
    rows = [Commune(insee_code=insee, name=name, postal_code=postal) for insee, name, postal in COMMUNES]
    rows += [
        Commune(insee_code=f"15{n:03d}", name=f"Commune 15{n:03d}", postal_code="15300")
        for n in range(1, TERRITORY_COMMUNES + 1)
        if f"15{n:03d}" not in known
    ]
    Commune.objects.bulk_create(rows, ignore_conflicts=True)
    return scale.commune_ids()


def seed_staff(scale, password):
    staff = {}
    for role, label in roles.ROLE_LABELS.items():
        user, _created = User.objects.get_or_create(
            email=scale.staff_email(role),
            defaults={"first_name": str(label), "last_name": "Scale", "is_staff": True, "password": password},
        )
        user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[role]))
        staff[role] = user
    return staff


def household_members(scale, household_ids):
    child = HouseholdMember.Role.CHILD
    for household_id in household_ids:
        shape = scale.random.random()
        if shape < 0.35:
            continue  # a single person
        yield HouseholdMember(household_id=household_id, first_name=scale.pick(FIRST_NAMES), role="partner")
        if shape < 0.6:
            continue
        for _ in range(scale.random.randint(1, 3)):
            enrolled = scale.random.random() < 0.7
            yield HouseholdMember(
                household_id=household_id,
                first_name=scale.pick(FIRST_NAMES),
                role=child,
                birth_year=scale.today.year - scale.random.randint(1, 16),
                schooling=(HouseholdMember.Schooling.ENROLLED if enrolled else HouseholdMember.Schooling.TO_ENROL),
                school_name="École de Murat" if enrolled else "",
            )
