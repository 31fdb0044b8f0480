"""Result indicators published per programme (Qualiopi indicator 2) and the yearly BPF figures."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from telecentre.training.models import Attendance, Enrolment, Questionnaire, Session, SurveyResponse

SATISFIED_FROM = Decimal("4")  # average rating out of 5 from which a respondent counts as satisfied


def percent(part, whole):
    if not whole:
        return None
    return round(Decimal(part) * 100 / Decimal(whole))


def programme_results(programme, today=None):
    """Indicators over the last twelve months of completed sessions (the period is shown with them)."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=365)
    sessions = Session.objects.filter(
        programme_version__programme=programme,
        status=Session.Status.COMPLETED,
        completed_at__date__gt=start,
        completed_at__date__lte=today,
    )
    enrolments = Enrolment.objects.enrolled().filter(session__in=sessions)
    figures = enrolments.aggregate(
        enrolled=Count("pk"),
        trained=Count("trainee", filter=Q(attended_hours__gt=0), distinct=True),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )
    answered = SurveyResponse.objects.answered().filter(
        enrolment__in=enrolments,
        questionnaire__kind=Questionnaire.Kind.SATISFACTION,
        satisfaction__isnull=False,
    )
    survey = answered.aggregate(
        respondents=Count("pk"),
        satisfied=Count("pk", filter=Q(satisfaction__gte=SATISFIED_FROM)),
        average=Avg("satisfaction"),
    )
    return {
        "period_start": start + datetime.timedelta(days=1),
        "period_end": today,
        "session_count": sessions.count(),
        "trained": figures["trained"],
        "enrolled": figures["enrolled"],
        "completion_rate": percent(figures["completed"], figures["enrolled"]),
        "respondents": survey["respondents"],
        "satisfaction_rate": percent(survey["satisfied"], survey["respondents"]),
        "average_rating": survey["average"],
    }


def bpf_rows(year):
    """Trainees and trainee-hours per funding line, counted from the half-days attended in `year`.

    Hours come from the signed sheets by half-day date (not from enrolment dates), cancelled
    sessions are left out: the figures a funder can check against the attendance sheets.
    """
    lines = (
        Attendance.objects.filter(status=Attendance.Status.PRESENT, slot__date__year=year)
        .exclude(slot__session__status=Session.Status.CANCELLED)
        .select_related("slot", "enrolment__trainee", "enrolment__session__programme_version")
        .order_by("enrolment__session__programme_version__title", "enrolment__trainee__last_name", "slot__start")
    )
    per_enrolment = {}
    for line in lines:
        row = per_enrolment.setdefault(line.enrolment_id, {"enrolment": line.enrolment, "hours": Decimal("0")})
        row["hours"] += line.slot.hours
    totals = defaultdict(lambda: {"trainees": 0, "hours": Decimal("0")})
    for row in per_enrolment.values():
        total = totals[row["enrolment"].funding]
        total["trainees"] += 1
        total["hours"] += row["hours"]
    summary = [
        (str(label), totals[value]["trainees"], totals[value]["hours"])
        for value, label in Enrolment.Funding.choices
        if value in totals
    ]
    return summary, list(per_enrolment.values())
