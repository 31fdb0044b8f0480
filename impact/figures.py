"""The impact figures for a period, each computed from records in a fixed number of queries.

Definitions (shown on the dashboard and in the exports):
- a household is *installed in the period* when its arrival date falls in it;
- an *entrepreneur* is an installed household whose project has a business (created, moved or taken over);
- *people installed* = the newcomers installed plus the members of their households;
- *children in school* = their children enrolled in a local school;
- *jobs* = the jobs of those businesses still active at the end of the period;
- *survival at N years* = among the programme's businesses created at least N years before the end of
  the period, the share that had not ceased N years after their creation;
- *public cost* = expenses invoiced in the period, whatever their funder;
- *money reinjected* = local spending declared by installed households for periods ending in the period.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import HouseholdMember
from impact import crossapp
from impact.models import Expense, FundingLine, LocalSpending, Target
from journey.models import Arrival, Business, Enquiry

SURVIVAL_YEARS = (1, 2, 3)
CENT = Decimal("0.01")


def money(value):
    return (value or Decimal(0)).quantize(CENT)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def range(self):
        return (self.start, self.end)


def years_before(date, years):
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def years_after(date, years):
    return years_before(date, -years)


# Querysets behind each figure: the dashboard counts them, the records page lists them.


def arrivals(period):
    return Arrival.objects.filter(arrival_date__range=period.range)


def entrepreneurs(period):
    return Business.objects.filter(project__arrival__arrival_date__range=period.range)


def household_members(period):
    return HouseholdMember.objects.filter(
        household__owner__installation_project__arrival__arrival_date__range=period.range
    )


def children_in_school(period):
    return household_members(period).filter(
        role=HouseholdMember.Role.CHILD, schooling=HouseholdMember.Schooling.ENROLLED
    )


def active_businesses(period):
    return entrepreneurs(period).filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=period.end))


def survival_cohort(period, years=1):
    return Business.objects.filter(creation_date__lte=years_before(period.end, years))


def expenses(period):
    return Expense.objects.filter(invoice_date__range=period.range)


def local_spending(period):
    return LocalSpending.objects.filter(period_end__range=period.range)


def forum_enquiries(period):
    return Enquiry.objects.filter(source=Enquiry.Source.FORUM, created_at__date__range=period.range)


def installed_from_forum(period):
    return arrivals(period).filter(project__enquiries__source=Enquiry.Source.FORUM).distinct()


def current_target(period):
    return Target.objects.filter(start_date__lte=period.end).order_by("-deadline").first()


def target_entrepreneurs(target, period):
    end = min(period.end, target.deadline)
    return Business.objects.filter(project__arrival__arrival_date__range=(target.start_date, end))


# The figures -------------------------------------------------------------------


def survival_rates(period):
    """{years: (survived, cohort)} for 1, 2 and 3 years, from one query."""
    rows = list(survival_cohort(period, 1).values_list("creation_date", "ceased_on"))
    rates = {}
    for years in SURVIVAL_YEARS:
        limit = years_before(period.end, years)
        cohort = [(created, ceased) for created, ceased in rows if created <= limit]
        survived = sum(1 for created, ceased in cohort if ceased is None or ceased > years_after(created, years))
        rates[years] = (survived, len(cohort))
    return rates


def ratio(numerator, denominator):
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


CACHE_SECONDS = 300


def cached(period):
    """compute(period) kept a few minutes: a staff-only aggregate over years of records, costly to redo each view."""
    key = f"impact-figures:{get_language()}:{period.start.isoformat()}:{period.end.isoformat()}"
    data = cache.get(key)
    if data is None:
        data = compute(period)
        cache.set(key, data, CACHE_SECONDS)
    return data


def compute(period):
    installed = arrivals(period).aggregate(households=Count("pk"), entrepreneurs=Count("project__business"))
    members = household_members(period).aggregate(
        total=Count("pk"),
        children=Count(
            "pk",
            filter=Q(role=HouseholdMember.Role.CHILD, schooling=HouseholdMember.Schooling.ENROLLED),
        ),
    )
    jobs = active_businesses(period).aggregate(total=Sum("jobs"))["total"] or 0
    cost_by_funder = {
        row["funding_line__funder"]: money(row["total"])
        for row in expenses(period).values("funding_line__funder").annotate(total=Sum("amount")).order_by()
    }
    spending_by_category = {
        row["category"]: money(row["total"])
        for row in local_spending(period).values("category").annotate(total=Sum("amount")).order_by()
    }
    public_cost = money(sum(cost_by_funder.values(), Decimal(0)))
    reinjected = money(sum(spending_by_category.values(), Decimal(0)))
    target = current_target(period)
    visitors = crossapp.forum_visitors(period)
    from_forum = installed_from_forum(period).count()
    figures = {
        "period": period,
        "households": installed["households"],
        "entrepreneurs": installed["entrepreneurs"],
        "people": installed["households"] + members["total"],
        "children_in_school": members["children"],
        "jobs": jobs,
        "survival": {
            years: {"survived": survived, "cohort": cohort, "rate": ratio(survived, cohort)}
            for years, (survived, cohort) in survival_rates(period).items()
        },
        "public_cost": public_cost,
        "cost_by_funder": [(label, cost_by_funder.get(value, money(0))) for value, label in FundingLine.Funder.choices],
        "reinjected": reinjected,
        "spending_by_category": [
            (label, spending_by_category.get(value, money(0))) for value, label in LocalSpending.Category.choices
        ],
        "reinjected_per_euro": ratio(reinjected, public_cost),
        "target": _target_progress(target, period),
        "forum": {
            "visitors": visitors,
            "enquiries": forum_enquiries(period).count(),
            "installed": from_forum,
            "rate": ratio(from_forum, visitors) if visitors is not None else None,
        },
        "coworking": crossapp.coworking_occupancy(period),
        "housing": crossapp.housing_occupancy(period),
        "training": crossapp.training_hours(period),
    }
    figures["services"] = [
        (_("Coworking occupancy"), figures["coworking"]),
        (_("Housing occupancy"), figures["housing"]),
        (_("Training hours (trainee hours)"), figures["training"]),
    ]
    figures["by_year"] = by_year(period)
    return figures


def _target_progress(target, period):
    if target is None:
        return None
    reached = target_entrepreneurs(target, period).count()
    return {
        "target": target,
        "reached": reached,
        "low_share": ratio(reached, target.low_goal),
        "high_share": ratio(reached, target.high_goal),
    }


def by_year(period):
    """Per calendar year of the period: households, entrepreneurs, people, public cost and money reinjected."""
    years = {
        year: {"households": 0, "entrepreneurs": 0, "people": 0, "cost": money(0), "reinjected": money(0)}
        for year in range(period.start.year, period.end.year + 1)
    }
    for row in (
        arrivals(period)
        .annotate(year=ExtractYear("arrival_date"))
        .values("year")
        .annotate(households=Count("pk"), entrepreneurs=Count("project__business"))
        .order_by()
    ):
        years[row["year"]].update(households=row["households"], entrepreneurs=row["entrepreneurs"])
        years[row["year"]]["people"] += row["households"]
    for row in (
        household_members(period)
        .annotate(year=ExtractYear("household__owner__installation_project__arrival__arrival_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        years[row["year"]]["people"] += row["n"]
    for row in (
        expenses(period)
        .annotate(year=ExtractYear("invoice_date"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        years[row["year"]]["cost"] = money(row["total"])
    for row in (
        local_spending(period)
        .annotate(year=ExtractYear("period_end"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        years[row["year"]]["reinjected"] = money(row["total"])
    return [{"year": year, **values} for year, values in sorted(years.items())]


def percent(value):
    return None if value is None else (value * 100).quantize(Decimal("0.1"))


def rows(figures):
    """(indicator, value, definition) for the exports, in the dashboard's order."""
    period = figures["period"]
    result = [
        (_("Period start"), period.start.isoformat(), ""),
        (_("Period end"), period.end.isoformat(), ""),
        (_("Entrepreneurs installed"), figures["entrepreneurs"], _("Installed households with a business.")),
        (_("Households installed"), figures["households"], _("Arrival date in the period.")),
        (_("People installed, families included"), figures["people"], _("Newcomers and their household members.")),
        (_("Children in a local school"), figures["children_in_school"], ""),
        (_("Jobs"), figures["jobs"], _("Jobs of their businesses still active at the end of the period.")),
    ]
    for years, survival in figures["survival"].items():
        result.append(
            (
                _("Survival rate at %(years)s year(s) (%%)") % {"years": years},
                percent(survival["rate"]),
                _("%(survived)s of %(cohort)s businesses") % survival,
            )
        )
    result.append((_("Public cost (€)"), figures["public_cost"], _("Expenses invoiced in the period.")))
    for label, amount in figures["cost_by_funder"]:
        result.append((_("Public cost — %(funder)s (€)") % {"funder": label}, amount, ""))
    result.append((_("Money reinjected locally (€)"), figures["reinjected"], _("Declared by installed households.")))
    for label, amount in figures["spending_by_category"]:
        result.append((_("Reinjected — %(category)s (€)") % {"category": label}, amount, ""))
    per_euro = figures["reinjected_per_euro"]
    result.append((_("Euros reinjected per euro of public money"), per_euro and per_euro.quantize(Decimal("0.01")), ""))
    target = figures["target"]
    if target:
        result += [
            (_("Target: entrepreneurs counted"), target["reached"], str(target["target"])),
            (_("Target: low goal"), target["target"].low_goal, target["target"].deadline.isoformat()),
            (_("Target: high goal"), target["target"].high_goal, target["target"].deadline.isoformat()),
        ]
    forum = figures["forum"]
    result += [
        (_("Forum visitors"), _na(forum["visitors"]), ""),
        (_("Enquiries from the forum"), forum["enquiries"], ""),
        (_("Installed after a forum enquiry"), forum["installed"], ""),
        (_("Conversion of forum visitors into installed newcomers (%)"), _na(percent(forum["rate"])), ""),
        (_("Coworking occupancy (%)"), *_service(figures["coworking"])),
        (_("Housing occupancy (%)"), *_service(figures["housing"])),
        (_("Training hours (trainee hours)"), *_service(figures["training"])),
    ]
    return result


def _service(figure):
    if figure is None:
        return _("not available"), ""
    return figure["value"], figure["detail"]


def _na(value):
    return _("not available") if value is None else value
