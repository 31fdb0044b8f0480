"""Housing on top of the shared committee mechanism.

A unit brought to a meeting becomes an agenda item with a Proposal: the eligible
applications of the latest scoring run that the unit suits, in score order
(at least three where there are), plus the ineligible ones, so that the
committee can declare them inadmissible. The members decide; rank 1 of an
allocated unit gets it, ranks 2 and 3 are the reserves. Letters go out when the
meeting is closed.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import services
from committees.models import AgendaItem, Decision, Meeting
from housing.models import Application, Proposal, ProposalCandidate, Scheme, Score, ScoringRun, Unit

MIN_CANDIDATES = 3
MAX_CANDIDATES = 6
# Eligible applications a unit does not suit, listed on its proposal (the best ranked; the rest are counted).
EXCLUDED_SHOWN = 20


def schemes_for(unit):
    if unit.programme == Unit.Programme.BRIDGE:
        return [Scheme.BRIDGE]
    return [Scheme.RESIDENCE_SHORT, Scheme.RESIDENCE_LONG]


def candidate_scores(unit, run):
    """(ranked eligible scores the unit suits, [(score, fit problems)] for those it does not suit, ineligible ones)."""
    scores = (
        Score.objects.filter(run=run, application__status=Application.Status.SUBMITTED)
        .filter(application__scheme__in=schemes_for(unit))
        .select_related("application__applicant", "application__project")
        .order_by("position", "pk")
    )
    suited, unsuited, ineligible = [], [], []
    for score in scores:
        if not score.eligible:
            ineligible.append(score)
            continue
        problems = unit.fit_problems(score.application)
        if problems:
            unsuited.append((score, problems))
        else:
            suited.append(score)
    return suited[:MAX_CANDIDATES], unsuited, ineligible


def unsuited_scores(unit, run, limit=None):
    """([(score, fit problems)], how many in all) for the eligible waiting applications of the run that the
    unit does not suit: the `limit` (EXCLUDED_SHOWN) best ranked of them, and their total number.

    The same rows as candidate_scores()[1]: the database applies Unit.fit_problems' rules (the scheme
    rule is the filter on schemes_for) and reads only the columns they and the applicant's name need, with
    the total counted in the same query (a window over the filtered rows, computed before the LIMIT).
    """
    limit = limit or EXCLUDED_SHOWN
    misfit = Q(application__household_size__gt=unit.capacity)
    if not unit.accessible:
        misfit |= Q(application__accessibility_needed=True)
    if not unit.is_free and unit.monthly_cost > 0:
        misfit |= Q(application__max_budget__isnull=True) | Q(application__max_budget__lt=unit.monthly_cost)
    scores = (
        Score.objects.filter(run=run, eligible=True, application__status=Application.Status.SUBMITTED)
        .filter(application__scheme__in=schemes_for(unit))
        .filter(misfit)
    )
    shown = (
        scores.annotate(matching=Window(Count("pk")))
        .select_related("application__applicant")
        .only(
            "run",
            "application__scheme",
            "application__household_size",
            "application__accessibility_needed",
            "application__max_budget",
            "application__applicant__first_name",
            "application__applicant__last_name",
            "application__applicant__email",
        )
        .order_by("position", "pk")[:limit]
    )
    rows = [(score, unit.fit_problems(score.application)) for score in shown]
    return rows, rows[0][0].matching if rows else 0


def prepare_proposal(meeting, unit, available_from, created_by):
    """Put the unit on the meeting's agenda with its ranked candidates from the latest scoring run."""
    run = ScoringRun.objects.select_related("grid").first()
    if run is None:
        raise ValidationError(_("Run the scoring before preparing a committee."), code="no_run")
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed: add the unit to another meeting."), code="closed")
    if Proposal.objects.filter(item__meeting=meeting, unit=unit).exists():
        raise ValidationError(_("This unit is already on the agenda of this meeting."), code="duplicate")
    suited, _unsuited, ineligible = candidate_scores(unit, run)
    if not suited and not ineligible:
        raise ValidationError(
            _("No waiting application suits this unit in the latest scoring run."), code="no_candidate"
        )
    with transaction.atomic():
        position = meeting.items.count() + 1
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=_("Allocation of %(unit)s") % {"unit": unit},
            subject=unit,
        )
        proposal = Proposal.objects.create(
            unit=unit, item=item, run=run, available_from=available_from, created_by=created_by
        )
        ProposalCandidate.objects.bulk_create(
            [
                ProposalCandidate(proposal=proposal, application=s.application, score=s, proposed_rank=rank)
                for rank, s in enumerate(suited, start=1)
            ]
            + [ProposalCandidate(proposal=proposal, application=s.application, score=s) for s in ineligible]
        )
    return proposal


@dataclass
class Choice:
    candidate: ProposalCandidate
    outcome: str
    reason: str
    rank: int | None = None
    justification: str = ""


def decide(proposal, choices, recorded_by):
    """Record the members' decisions on a proposal (all candidates at once).

    They stay drafts of the meeting until it is closed: the applications change only then (close_and_notify).
    """
    drafts = [
        services.Draft(
            subject=choice.candidate.application,
            outcome=choice.outcome,
            reason=choice.reason,
            rank=choice.rank,
            proposed_rank=choice.candidate.proposed_rank,
            justification=choice.justification,
        )
        for choice in choices
    ]
    with transaction.atomic():
        for choice in choices:
            if choice.outcome == Decision.Outcome.ACCEPTED and choice.rank == 1:
                _check_not_allocated_elsewhere(proposal, choice.candidate.application)
        return services.record_decisions(proposal.item, drafts, recorded_by)


def _check_not_allocated_elsewhere(proposal, application):
    elsewhere = (
        Decision.objects.current()
        .for_subject(application)
        .filter(outcome=Decision.Outcome.ACCEPTED, rank=1)
        .exclude(item=proposal.item)
    )
    if elsewhere.exists():
        raise ValidationError(
            _("%(name)s has already been allocated another unit: give this unit to someone else.")
            % {"name": application.applicant},
            code="already_allocated",
        )


def close_and_notify(meeting, user):
    """Close the meeting (decisions become final) and send every housing decision's letter."""
    from housing.letters import send_decision_letter

    with transaction.atomic():
        meeting = services.close_meeting(meeting, user)
        decisions = (
            Decision.objects.current()
            .filter(item__meeting=meeting, item__housing_proposal__isnull=False)
            .select_related("item__housing_proposal__unit__commune", "item__meeting__committee")
        )
        now = timezone.now()
        for decision in decisions:
            take_effect(decision, now)
            send_decision_letter(decision)
    return meeting


def take_effect(decision, now):
    """A closed meeting's decision takes effect: rank 1 gets the unit, an inadmissible file is closed."""
    application = Application.objects.select_for_update().get(pk=decision.subject_id)
    if application.status != Application.Status.SUBMITTED:
        return
    if decision.outcome == Decision.Outcome.ACCEPTED and decision.rank == 1:
        application.status, application.allocated_at = Application.Status.ALLOCATED, now
    elif decision.outcome == Decision.Outcome.INADMISSIBLE:
        application.status, application.closed_at = Application.Status.INADMISSIBLE, now
    else:
        return
    application.save(update_fields=["status", "allocated_at", "closed_at", "updated_at"])
