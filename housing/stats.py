"""Yearly statistics for the bias review: one anonymous row per application, and outcome rates by group.

No name or email leaves: the review compares groups (profile, household size,
origin, scheme), not people.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from committees.models import Decision, Meeting
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, append_row, csv_text, xlsx_bytes
from housing.models import Application, Score


def _household_band(size):
    return _("1 person") if size == 1 else _("2 people") if size == 2 else _("3 people or more")


def rows(year):
    applications = (
        Application.objects.filter(submitted_at__year=year)
        .select_related("project__target_commune", "household")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("-run__run_at", "-pk"), to_attr="ordered_scores")
        )
        .with_outcome()
        .order_by("submitted_at", "pk")
    )
    application_type = ContentType.objects.get_for_model(Application)
    decisions = {}
    for decision in (
        Decision.objects.current()
        .filter(subject_type=application_type, item__meeting__status=Meeting.Status.CLOSED)
        .order_by("recorded_at")
    ):
        decisions[decision.subject_id] = decision
    result = []
    for number, application in enumerate(applications, start=1):
        score = application.ordered_scores[0] if application.ordered_scores else None
        decision = decisions.get(application.pk)
        waited = (application.allocated_at - application.submitted_at).days if application.allocated_at else ""
        result.append(
            {
                _("File"): number,
                _("Filed on"): timezone.localdate(application.submitted_at).isoformat(),
                _("Scheme"): application.get_scheme_display(),
                _("Profile"): application.project.get_kind_display(),
                _("Household"): _household_band(application.household_size),
                _("Children"): application.children_count,
                _("Adaptation needed"): _("yes") if application.accessibility_needed else _("no"),
                _("Current housing"): application.get_housing_situation_display(),
                _("Origin"): application.household.origin,
                _("Target commune"): application.project.target_commune.name
                if application.project.target_commune
                else "",
                _("Eligible"): "" if score is None else (_("yes") if score.eligible else _("no")),
                _("Points"): "" if score is None else score.total,
                _("Position"): "" if score is None or score.position is None else score.position,
                _("Outcome"): decision.get_outcome_display() if decision else "",
                _("Rank"): decision.rank if decision and decision.rank else "",
                _("Departs from the proposed order"): (_("yes") if decision.departs_from_proposal else _("no"))
                if decision
                else "",
                _("Days waited"): waited,
                _("Status"): application.outcome().label,
            }
        )
    return result


def summary(year):
    """Outcome rates by group: {"groups": {title: [(group, filed, eligible, allocated, rate %)]}, ...}."""
    data = rows(year)
    groups = {_("By profile"): _("Profile"), _("By household"): _("Household"), _("By scheme"): _("Scheme")}
    allocated_label = str(Decision.Outcome.ACCEPTED.label)
    by_group = {}
    for title, column in groups.items():
        counts = defaultdict(lambda: [0, 0, 0])
        for row in data:
            entry = counts[row[column]]
            entry[0] += 1
            entry[1] += row[_("Eligible")] == _("yes")
            entry[2] += row[_("Outcome")] == allocated_label and row[_("Rank")] == 1
        by_group[title] = [
            (group, filed, eligible, allocated, round(100 * allocated / filed) if filed else 0)
            for group, (filed, eligible, allocated) in sorted(counts.items(), key=lambda kv: str(kv[0]))
        ]
    departures = sum(1 for row in data if row[_("Departs from the proposed order")] == _("yes"))
    return {"groups": by_group, "departures": departures, "files": len(data), "year": year}


def export(year, fmt):
    data = rows(year)
    headers = list(data[0].keys()) if data else [_("File")]
    if fmt == "csv":
        return csv_text([headers, *([row.get(h, "") for h in headers] for row in data)]), CSV_CONTENT_TYPE
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Applications")[:31]
    append_row(sheet, headers)
    for row in data:
        append_row(sheet, row.values())
    rates = workbook.create_sheet(_("Rates by group")[:31])
    append_row(rates, [_("Group"), _("Value"), _("Filed"), _("Eligible"), _("Allocated"), _("Allocation rate (%)")])
    for title, entries in summary(year)["groups"].items():
        for group, filed, eligible, allocated, rate in entries:
            append_row(rates, [title, group, filed, eligible, allocated, rate])
    return xlsx_bytes(workbook), XLSX_CONTENT_TYPE
