"""The allocation algorithm: eligibility first, then points, frozen in a scoring run.

Eligibility rules never give points: an application that fails one gets the
reason. Each criterion yields a value, its source (computed, declared, verified
or validated and by whom) and points = points per unit × quantity, capped by the
criterion's ceiling. Criteria that need validation count only once validated.
Positions are computed per scheme among eligible applications (most points
first; ties broken by filing date, then by file number).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from housing.models import (
    Application,
    Criterion,
    CriterionCheck,
    EligibilityRule,
    ProjectKind,
    Score,
    ScoreLine,
    ScoringGrid,
    ScoringRun,
    StayCap,
    SupportingDocument,
)

Source = ScoreLine.Source


@dataclass
class Measure:
    value: str
    quantity: Decimal
    source: str
    checked_by: object = None
    note: str = ""


def _yes_no(flag):
    return _("yes") if flag else _("no")


# Eligibility: each returns None when the rule is met, else the reason shown to the applicant.


def _rule_territory(application, caps):
    commune = application.project.target_commune
    if commune is None:
        return _("Your installation project does not name a commune of the territory yet.")
    if not commune.in_territory:
        return _("Your project is located in %(commune)s, outside the territory served by the programme.") % {
            "commune": commune.name
        }
    return None


def _rule_public(application, caps):
    if (application.scheme, application.project.kind) not in caps:
        return _("The programme “%(scheme)s” is not open to “%(kind)s” projects.") % {
            "scheme": application.get_scheme_display(),
            "kind": application.project.get_kind_display(),
        }
    return None


def _rule_household(application, caps):
    if application.household_size < 1:
        return _("Declare the people of your household.")
    return None


REQUIRED_DOCUMENTS = [SupportingDocument.Kind.IDENTITY, SupportingDocument.Kind.PROJECT]


def _rule_documents(application, caps):
    present = {document.kind for document in application.documents.all()}
    missing = [kind.label for kind in REQUIRED_DOCUMENTS if kind not in present]
    if missing:
        return _("The file is incomplete: missing %(documents)s.") % {"documents": ", ".join(str(m) for m in missing)}
    return None


def _rule_duration(application, caps):
    cap = caps.get((application.scheme, application.project.kind))
    if cap is not None and application.desired_end > cap.limit_from(application.desired_start):
        return _("The stay asked for is longer than the maximum stay for your profile (%(cap)s).") % {"cap": cap.label}
    return None


RULES = {
    EligibilityRule.Key.TERRITORY: _rule_territory,
    EligibilityRule.Key.PUBLIC: _rule_public,
    EligibilityRule.Key.HOUSEHOLD: _rule_household,
    EligibilityRule.Key.DOCUMENTS: _rule_documents,
    EligibilityRule.Key.DURATION: _rule_duration,
}


# Criteria: each returns a Measure (value shown, quantity multiplied by the points, source).


def _declared(flag, check, requires_validation=False):
    """A declared yes/no flag and what an agent's check made of it."""
    if check is not None and check.status == CriterionCheck.Status.REJECTED:
        return Measure(_yes_no(flag), Decimal(0), Source.DECLARED, check.checked_by, _("not confirmed by an agent"))
    if check is not None:
        return Measure(_yes_no(flag), Decimal(int(flag)), check.status, check.checked_by, check.note)
    if requires_validation and flag:
        return Measure(_yes_no(flag), Decimal(0), Source.DECLARED, None, _("awaiting validation by an agent"))
    return Measure(_yes_no(flag), Decimal(int(flag)), Source.DECLARED)


def _months_waiting(application, now):
    filed = timezone.localdate(application.submitted_at)
    today = timezone.localdate(now)
    months = (today.year - filed.year) * 12 + today.month - filed.month - (today.day < filed.day)
    return max(0, months)


def measure(key, application, check, requires_validation, now):
    if key == Criterion.Key.SENIORITY:
        months = _months_waiting(application, now)
        return Measure(str(months), Decimal(months), Source.COMPUTED)
    if key == Criterion.Key.CHILDREN:
        return Measure(str(application.children_count), Decimal(application.children_count), Source.DECLARED)
    if key == Criterion.Key.HOUSING_NEED:
        return _declared(application.housing_situation == Application.HousingSituation.NONE, check, requires_validation)
    if key == Criterion.Key.CREATION:
        flag = application.project.kind in (ProjectKind.CREATION, ProjectKind.TAKEOVER)
        return _declared(flag, check, requires_validation)
    if key == Criterion.Key.TRAINING:
        return _declared(application.training_completed, check, requires_validation)
    if key == Criterion.Key.LOCAL_ACTIVITY:
        return _declared(application.local_activity, check, requires_validation)
    if key == Criterion.Key.ACCESSIBILITY:
        return _declared(application.accessibility_needed, check, requires_validation)
    if key == Criterion.Key.REFUSED_OFFERS:
        # Counted by the housing service in the file; "verified" only once an agent has checked it.
        offers = application.refused_offers
        if check is not None and check.status == CriterionCheck.Status.REJECTED:
            return Measure(str(offers), Decimal(0), Source.RECORDED, check.checked_by, _("not confirmed by an agent"))
        if check is not None:
            return Measure(str(offers), Decimal(offers), check.status, check.checked_by, check.note)
        return Measure(str(offers), Decimal(offers), Source.RECORDED)
    raise ValueError(key)


def points_for(criterion, quantity):
    points = criterion.points * quantity
    if criterion.max_points is not None:
        points = min(points, criterion.max_points) if points >= 0 else max(points, -criterion.max_points)
    return points


def evaluate(application, grid, caps, now):
    """(reason or "", [(criterion, Measure, points)]) for one application under one grid."""
    for rule in grid.rules.all():
        reason = RULES[rule.key](application, caps)
        if reason:
            return reason, []
    checks = {check.key: check for check in application.checks.all()}
    lines = []
    for criterion in grid.criteria.all():
        result = measure(criterion.key, application, checks.get(criterion.key), criterion.requires_validation, now)
        lines.append((criterion, result, points_for(criterion, result.quantity)))
    return "", lines


def run_scoring(run_by=None, grid=None, now=None):
    """Score every waiting application with the grid in force; everything is stored and frozen."""
    grid = grid or ScoringGrid.objects.in_force()
    if grid is None or grid.status == ScoringGrid.Status.DRAFT:
        raise ValidationError(_("No scoring grid is in force: publish one first."), code="no_grid")
    now = now or timezone.now()
    grid = ScoringGrid.objects.prefetch_related("rules", "criteria").get(pk=grid.pk)
    caps = {(cap.scheme, cap.profile): cap for cap in StayCap.objects.all()}
    applications = (
        Application.objects.open()
        .select_related("project__target_commune", "applicant")
        .prefetch_related("documents", "checks__checked_by")
    )
    with transaction.atomic():
        run = ScoringRun.objects.create(grid=grid, run_at=now, run_by=run_by)
        evaluated = []
        for application in applications:
            reason, lines = evaluate(application, grid, caps, now)
            total = sum((points for _c, _m, points in lines), Decimal(0))
            evaluated.append((application, reason, lines, total))
        positions = _positions(evaluated)
        for application, reason, lines, total in evaluated:
            position, out_of = positions.get(application.pk, (None, None))
            score = Score.objects.create(
                run=run,
                application=application,
                eligible=not reason,
                ineligibility_reason=reason,
                total=total,
                position=position,
                out_of=out_of,
            )
            ScoreLine.objects.bulk_create(
                ScoreLine(
                    score=score,
                    criterion=criterion,
                    value=result.value,
                    quantity=result.quantity,
                    source=result.source,
                    checked_by=result.checked_by,
                    points=points,
                    note=result.note,
                )
                for criterion, result, points in lines
            )
    return run


def _positions(evaluated):
    by_scheme = defaultdict(list)
    for application, reason, _lines, total in evaluated:
        if not reason:
            by_scheme[application.scheme].append((application, total))
    positions = {}
    for entries in by_scheme.values():
        entries.sort(key=lambda entry: (-entry[1], entry[0].submitted_at, entry[0].pk))
        for position, (application, _total) in enumerate(entries, start=1):
            positions[application.pk] = (position, len(entries))
    return positions
