"""Result indicators published per programme (Qualiopi indicator 2) and the yearly BPF figures."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from telecentre.training.models import (
    Attendance,
    BpfObjective,
    DistanceActivity,
    Enrolment,
    Questionnaire,
    Session,
    Slot,
    SurveyResponse,
    TrainerProfile,
    TrainingExpense,
)

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


def evidence_row(enrolment):
    """One trainee's hours in the year: all of them, of which present without signature, of which at a distance."""
    return {"enrolment": enrolment, "hours": Decimal("0"), "unsigned": Decimal("0"), "distance": Decimal("0")}


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
        row = per_enrolment.setdefault(line.enrolment_id, evidence_row(line.enrolment))
        row["hours"] += line.slot.hours
        if not line.signature:
            row["unsigned"] += line.slot.hours
    distance = (
        DistanceActivity.objects.filter(completed_on__year=year)
        .exclude(enrolment__session__status=Session.Status.CANCELLED)
        .select_related("enrolment__trainee", "enrolment__session__programme_version")
    )
    for activity in distance:
        row = per_enrolment.setdefault(
            activity.enrolment_id,
            {
                "enrolment": activity.enrolment,
                "hours": Decimal("0"),
                "unsigned": Decimal("0"),
                "distance": Decimal("0"),
            },
        )
        row["hours"] += activity.hours
        row["distance"] += activity.hours
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


# Section C of the BPF (Cerfa 10443): where the revenue of each funding line is reported.
REVENUE_LINES = {
    Enrolment.Funding.CPF: ("C-2e", _("Training funds: personal training account (CPF)")),
    Enrolment.Funding.OPCO: ("C-2h", _("Training funds: skills development plans and other schemes (OPCO)")),
    Enrolment.Funding.REGION: ("C-4c", _("Public authorities: regional councils")),
    Enrolment.Funding.FRANCE_TRAVAIL: ("C-4d", _("Public authorities: France Travail")),
    Enrolment.Funding.FREE_NEWCOMER: ("C-4e", _("Public authorities: other public resources")),
    Enrolment.Funding.PERSONAL: ("C-5", _("Contracts with individuals paying for themselves")),
}

TRAINEE_LINES = {
    Enrolment.TraineeStatus.EMPLOYEE: "F-1a",
    Enrolment.TraineeStatus.APPRENTICE: "F-1b",
    Enrolment.TraineeStatus.JOB_SEEKER: "F-1c",
    Enrolment.TraineeStatus.INDIVIDUAL: "F-1d",
    Enrolment.TraineeStatus.OTHER: "F-1e",
}


def bpf_report(year):
    """The sections of the BPF (Cerfa 10443) computed from the records of `year`.

    C: revenue per funding line, the agreed price of each trainee of the sessions completed in the year;
    D: the expenses recorded for the year; E: trainers of the body and external trainers with the hours
    of the half-days they taught; F-1, F-3, F-4: trainees and trainee-hours (sheets and distance modules)
    by situation, by objective and by specialty.
    """
    summary, details = bpf_rows(year)
    revenue = defaultdict(Decimal)
    completed = (
        Enrolment.objects.enrolled()
        .filter(session__status=Session.Status.COMPLETED, session__completed_at__year=year)
        .select_related("session__programme_version")
    )
    for enrolment in completed:
        revenue[enrolment.funding] += enrolment.agreed_price()
    section_c = [
        (code, label, revenue[funding]) for funding, (code, label) in REVENUE_LINES.items() if funding in revenue
    ]
    costs = dict(TrainingExpense.objects.filter(date__year=year).values_list("kind").annotate(total=Sum("amount")))
    section_d = {
        "total": sum(costs.values(), Decimal("0")),
        "salaries": costs.get(TrainingExpense.Kind.TRAINER_SALARIES, Decimal("0")),
        "bought": costs.get(TrainingExpense.Kind.BOUGHT_TRAINING, Decimal("0")),
    }
    taught = defaultdict(Decimal)
    slots = (
        Slot.objects.filter(date__year=year, trainer_signed_at__isnull=False)
        .exclude(session__status=Session.Status.CANCELLED)
        .prefetch_related("session__trainers")
    )
    for slot in slots:
        for trainer in slot.session.trainers.all():
            taught[trainer.pk] += slot.hours
    statuses = dict(TrainerProfile.objects.filter(user__in=taught).values_list("user_id", "status"))
    section_e = {status: {"people": 0, "hours": Decimal("0")} for status in TrainerProfile.Status.values}
    for trainer_pk, hours in taught.items():
        line = section_e[statuses.get(trainer_pk, TrainerProfile.Status.INTERNAL)]
        line["people"] += 1
        line["hours"] += hours
    by_status, by_objective, by_specialty = (
        defaultdict(lambda: {"trainees": 0, "hours": Decimal("0"), "distance": Decimal("0")}) for _ in range(3)
    )
    for row in details:
        enrolment, version = row["enrolment"], row["enrolment"].session.programme_version
        specialty = (version.specialty_code, version.specialty_label)
        for line in (
            by_status[enrolment.trainee_status],
            by_objective[version.bpf_objective()],
            by_specialty[specialty],
        ):
            line["trainees"] += 1
            line["hours"] += row["hours"]
            line["distance"] += row["distance"]
    section_f1 = [
        (TRAINEE_LINES[value], label, by_status[value])
        for value, label in Enrolment.TraineeStatus.choices
        if value in by_status
    ]
    section_f3 = [(label, by_objective[value]) for value, label in BpfObjective.choices if value in by_objective]
    section_f4 = sorted(by_specialty.items(), key=lambda item: -item[1]["hours"])
    return {
        "summary": summary,
        "details": details,
        "c": section_c,
        "c_total": sum((amount for _code, _label, amount in section_c), Decimal("0")),
        "d": section_d,
        "e": section_e,
        "f1": section_f1,
        "f3": section_f3,
        "f4": section_f4,
    }
