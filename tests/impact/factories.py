import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import InstallationProject
from impact.models import Expense, FundingLine, LocalSpending, Target
from journey.models import Arrival, Business, Enquiry
from tests.factories import make_commune, make_household, make_project, make_user

D = datetime.date
CHILD_IN_SCHOOL = {"first_name": "Léo", "role": "child", "schooling": "enrolled"}
CHILD_TO_ENROL = {"first_name": "Lou", "role": "child", "schooling": "to_enrol"}
PARTNER = {"first_name": "Sam", "role": "partner"}


def installed(arrival=None, business=None, members=(), kind="creation", stage="installed"):
    """A newcomer's project; `arrival` a date, `business` a dict of Business fields."""
    project = make_project(make_user(), kind=kind, stage=stage)
    make_household(project.newcomer, members)
    if arrival:
        Arrival.objects.create(project=project, arrival_date=arrival, commune=make_commune(), housing="renting")
    if business:
        business = {
            "name": "Entreprise",
            "legal_form": "micro",
            "origin": "created",
            "registration_pending": True,
            **business,
        }
        Business.objects.create(project=project, **business)
    return project


def forum_enquiry(created, project=None):
    return Enquiry.objects.create(
        first_name="Visiteur",
        last_name="Forum",
        email="visiteur@example.org",
        source=Enquiry.Source.FORUM,
        project=project,
        status=Enquiry.Status.CONVERTED if project else Enquiry.Status.NEW,
        created_at=timezone.make_aware(datetime.datetime.combine(created, datetime.time(12))),
    )


def known_data():
    """The data set whose figures for 2024 are computed by hand in test_figures."""
    p1 = installed(
        D(2024, 3, 1), {"creation_date": D(2024, 3, 15), "jobs": 2}, [PARTNER, CHILD_IN_SCHOOL, CHILD_TO_ENROL]
    )
    p2 = installed(
        D(2024, 6, 10),
        {"creation_date": D(2019, 5, 1), "ceased_on": D(2024, 10, 1), "origin": "moved", "jobs": 1},
        kind="freelance",
    )
    p3 = installed(D(2024, 9, 1), None, [PARTNER, CHILD_IN_SCHOOL, CHILD_IN_SCHOOL], kind="salaried")
    p4 = installed(D(2023, 5, 1), {"creation_date": D(2023, 5, 10), "jobs": 3}, [CHILD_IN_SCHOOL])
    p5 = installed(None, None, stage=InstallationProject.Stage.PREPARATION)
    installed(D(2021, 1, 1), {"creation_date": D(2021, 1, 1), "ceased_on": D(2022, 6, 30)})

    forum_enquiry(D(2023, 11, 1), p1)
    forum_enquiry(D(2024, 5, 1), p5)
    forum_enquiry(D(2024, 10, 10))

    leader = FundingLine.objects.create(
        funder="eu_leader",
        programme="LEADER fiche 3",
        amount=Decimal("100000"),
        start_date=D(2023, 1, 1),
        end_date=D(2027, 12, 31),
    )
    council = FundingLine.objects.create(
        funder="council",
        programme="Budget accueil",
        amount=Decimal("50000"),
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
    )
    Expense.objects.create(
        funding_line=leader, label="Animation", category="staff", amount=Decimal("30000"), invoice_date=D(2024, 2, 1)
    )
    Expense.objects.create(
        funding_line=council,
        label="Travaux logement",
        category="housing",
        amount=Decimal("10000.50"),
        invoice_date=D(2024, 7, 1),
    )
    Expense.objects.create(
        funding_line=leader,
        label="Forum 2023",
        category="promotion",
        amount=Decimal("5000"),
        invoice_date=D(2023, 12, 31),
    )

    LocalSpending.objects.create(
        project=p1, category="rent", amount=Decimal("6000"), period_start=D(2024, 1, 1), period_end=D(2024, 6, 30)
    )
    LocalSpending.objects.create(
        project=p1, category="works", amount=Decimal("20000"), period_start=D(2024, 4, 1), period_end=D(2024, 4, 30)
    )
    LocalSpending.objects.create(
        project=p4,
        category="purchases",
        amount=Decimal("4000.50"),
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
    )
    LocalSpending.objects.create(
        project=p3, category="purchases", amount=Decimal("999"), period_start=D(2024, 6, 1), period_end=D(2025, 1, 31)
    )

    Target.objects.create(
        name="Objectif du conseil", low_goal=3, high_goal=5, start_date=D(2023, 1, 1), deadline=D(2026, 12, 31)
    )
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5}
