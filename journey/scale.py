"""Volume data for the journey: arrivals of the installed households, their businesses (valid SIRET numbers)
and the follow-up check-ins at 1, 3, 6, 12, 24 and 36 months, done when due in the past."""

import datetime

from stdnum import luhn

from accounts import roles
from accounts.models import InstallationProject
from journey.models import FOLLOW_UP_MONTHS, Arrival, Business, CheckIn, HousingSituation

SETTLED = [
    InstallationProject.Stage.INSTALLED,
    InstallationProject.Stage.FOLLOWED_UP,
    InstallationProject.Stage.CLOSED,
]


def siret(number):
    siren = f"{number:08d}"
    siren += luhn.calc_check_digit(siren)
    nic = "0001"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def seed(scale):
    projects = list(
        InstallationProject.objects.filter(newcomer_id__in=scale.newcomer_ids(), stage__in=SETTLED)
        .order_by("pk")
        .values_list("pk", "target_commune_id")
    )
    arrivals = {project_id: scale.day(-scale.random.randint(30, 6 * 365)) for project_id, _commune in projects}
    scale.insert_values(
        Arrival,
        (
            {
                "project_id": project_id,
                "arrival_date": arrivals[project_id],
                "commune_id": commune_id or scale.pick(scale.commune_ids()),
                "housing": scale.pick(HousingSituation.values),
            }
            for project_id, commune_id in projects
        ),
    )
    with_business = [project_id for n, (project_id, _commune) in enumerate(projects) if n % 5 < 3]
    scale.insert_values(
        Business,
        (
            {
                "project_id": project_id,
                "name": f"Entreprise {project_id}",
                "siren": siret(10_000_000 + project_id)[:9],
                "siret": siret(10_000_000 + project_id),
                "legal_form": scale.pick(Business.LegalForm.values),
                "creation_date": arrivals[project_id] + datetime.timedelta(days=20),
                "origin": scale.pick(Business.Origin.values),
                "jobs": scale.random.choice([1, 1, 1, 2, 3]),
                "ceased_on": None if scale.random.random() < 0.85 else scale.day(-scale.random.randint(1, 25)),
            }
            for project_id in with_business
        ),
    )
    referent = scale.staff(roles.NEWCOMER_REFERENT).pk
    checkins = scale.insert_values(CheckIn, checkin_rows(scale, arrivals, referent))
    return f"{len(projects)} arrivals, {len(with_business)} businesses, {checkins} check-ins"


def checkin_rows(scale, arrivals, referent):
    for project_id, arrived in arrivals.items():
        for months in FOLLOW_UP_MONTHS:
            due = arrived + datetime.timedelta(days=round(months * 30.44))
            done = due < scale.today and scale.random.random() < 0.85
            yield {
                "project_id": project_id,
                "months": months,
                "due_on": due,
                "done_on": due if done else None,
                "business_active": True if done else None,
                "jobs": 1 if done else None,
                "turnover_band": scale.pick(CheckIn.TurnoverBand.values) if done else "",
                "still_in_territory": (scale.random.random() < 0.9) if done else None,
                "housing": scale.pick(HousingSituation.values) if done else "",
                "referrals": [],
                "recorded_by_id": referent if done else None,
            }
