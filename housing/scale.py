"""Volume data for housing: 1 000 units, 20 000 applications over the years (a tenth still waiting), the grid
in force, a scoring run of the waiting ones (the app's own algorithm) and a committee meeting with proposals."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import roles
from accounts.models import Household, InstallationProject
from committees.models import Committee, Meeting, Membership
from housing import committee, scoring
from housing.models import Application, Criterion, EligibilityRule, ScoringGrid, StayCap, Unit

CRITERIA = [
    (Criterion.Key.SENIORITY, "1", "24"),
    (Criterion.Key.CHILDREN, "5", "15"),
    (Criterion.Key.HOUSING_NEED, "20", None),
    (Criterion.Key.CREATION, "10", None),
    (Criterion.Key.TRAINING, "10", None),
    (Criterion.Key.LOCAL_ACTIVITY, "5", None),
]
CAPS = {"creation": 18, "takeover": 18, "freelance": 12, "salaried": 6}
PROPOSALS = 5


def seed(scale):
    units = seed_units(scale)
    seed_grid(scale)
    applications = scale.insert_values(Application, application_rows(scale))
    run = scoring.run_scoring(run_by=scale.staff(roles.HOUSING_OFFICER))
    proposals = seed_committee(scale, units)
    return f"{len(units)} units, {applications} applications, {run.scores.count()} scored, {proposals} proposals"


def seed_units(scale):
    communes = scale.commune_ids()
    layouts = Unit.Layout.values
    rows = []
    for n in range(scale.count(1_000, minimum=10)):
        rooms = 1 + n % 4
        free = n % 7 == 0
        rows.append(
            Unit(
                name=f"Logement {n + 1}",
                programme=Unit.Programme.BRIDGE if n % 5 < 3 else Unit.Programme.RESIDENCE,
                layout=layouts[rooms],
                commune_id=scale.pick(communes),
                surface_m2=Decimal(20 + 15 * rooms),
                rooms=rooms,
                capacity=rooms + 1,
                accessible=n % 6 == 0,
                workspace=n % 3 == 0,
                is_free=free,
                rent=Decimal(0) if free else Decimal(250 + 80 * rooms),
                charges=Decimal(40),
                available_from=scale.day(n % 90),
            )
        )
    scale.insert(Unit, rows)
    return list(Unit.objects.filter(name__startswith="Logement ").order_by("pk"))


def seed_grid(scale):
    for scheme in ("bridge", "residence_long"):
        for profile, months in CAPS.items():
            StayCap.objects.get_or_create(scheme=scheme, profile=profile, defaults={"max_months": months})
    for profile in CAPS:
        StayCap.objects.get_or_create(scheme="residence_short", profile=profile, defaults={"max_days": 14})
    if ScoringGrid.objects.in_force():
        return
    grid = ScoringGrid.objects.create(
        version=(ScoringGrid.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1,
        title="Grille d'attribution",
        council_reference="DCC-SCALE-LOG",
        council_date=scale.day(-800),
        effective_from=scale.day(-790),
        purpose="Classer les demandes éligibles ; la commission décide.",
    )
    for position, key in enumerate([EligibilityRule.Key.TERRITORY, EligibilityRule.Key.PUBLIC], start=1):
        EligibilityRule.objects.create(grid=grid, key=key, label=key.label, position=position)
    for position, (key, points, ceiling) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(
            grid=grid,
            key=key,
            label=key.label,
            position=position,
            points=Decimal(points),
            max_points=Decimal(ceiling) if ceiling else None,
        )
    grid.publish()


def application_rows(scale):
    """One application per newcomer at most, spread over six years; the most recent tenth still waits
    (a dozen at least, so that a small database has candidates to rank)."""
    projects = dict(
        InstallationProject.objects.filter(newcomer_id__in=scale.newcomer_ids()).values_list("newcomer_id", "id")
    )
    households = dict(Household.objects.filter(owner_id__in=scale.newcomer_ids()).values_list("owner_id", "id"))
    applicants = [user_id for user_id in scale.newcomer_ids() if user_id in projects and user_id in households]
    count = min(scale.count(20_000), len(applicants))
    span = 6 * 365 * 24 * 60
    for n, applicant in enumerate(applicants[:count]):
        submitted = scale.now - datetime.timedelta(minutes=span * (count - n) // count)
        waiting = n >= count - max(count // 10, min(count, 12))
        status = (
            Application.Status.SUBMITTED
            if waiting
            else scale.pick(
                [Application.Status.ALLOCATED] * 4
                + [Application.Status.CLOSED, Application.Status.WITHDRAWN]
                + [Application.Status.INADMISSIBLE]
            )
        )
        size = scale.random.randint(1, 5)
        start = timezone.localdate(submitted) + datetime.timedelta(days=30)
        yield {
            "applicant_id": applicant,
            "project_id": projects[applicant],
            "household_id": households[applicant],
            "scheme": "bridge" if n % 3 else "residence_long",
            "desired_start": start,
            "desired_end": start + datetime.timedelta(days=150),
            "household_size": size,
            "children_count": max(0, size - 2),
            "max_budget": Decimal(800),
            "housing_situation": scale.pick(Application.HousingSituation.values),
            "training_completed": n % 4 == 0,
            "local_activity": n % 5 == 0,
            "status": status,
            "submitted_at": submitted,
            "allocated_at": submitted + datetime.timedelta(days=60) if status == Application.Status.ALLOCATED else None,
            "closed_at": None if waiting else submitted + datetime.timedelta(days=90),
            "updated_at": submitted,
        }


def seed_committee(scale, units):
    housing_committee, _created = Committee.objects.get_or_create(
        name="Commission logement (volume)", defaults={"kind": Committee.Kind.HOUSING}
    )
    for n, name in enumerate(["Présidence", "Élu 1", "Élu 2", "Élu 3", "Bailleur"]):
        Membership.objects.get_or_create(
            committee=housing_committee,
            name=name,
            defaults={"role": Membership.Role.CHAIR if n == 0 else Membership.Role.MEMBER},
        )
    meeting = Meeting.objects.create(
        committee=housing_committee, starts_at=scale.moment(scale.day(7), 14), place="Mairie de Murat"
    )
    officer = scale.staff(roles.HOUSING_OFFICER)
    made = 0
    for unit in units[: PROPOSALS * 4]:
        if made == PROPOSALS:
            break
        try:
            committee.prepare_proposal(meeting, unit, unit.available_from or scale.today, officer)
        except ValidationError:  # a unit that no waiting application suits is not proposed
            continue
        made += 1
    return made
