"""The written explanation of the algorithmic processing (art. L311-3-1 and R311-3-1-2 CRPA).

The draft is generated from a frozen scoring run (the one a committee saw, else the latest), never from the
application as it stands today; staff review and edit it before it is sent.
"""

from django.template.loader import render_to_string
from django.utils import translation

from housing.models import ProposalCandidate, Score


def explained_score(application):
    """The frozen score the decision relied on: the one before the latest committee, else the latest scoring."""
    candidacy = (
        ProposalCandidate.objects.filter(application=application)
        .select_related("score")
        .order_by("-proposal__item__meeting__starts_at", "-pk")
        .first()
    )
    if candidacy is not None:
        return candidacy.score, candidacy.proposal.item.meeting
    score = Score.objects.filter(application=application).order_by("-run__run_at", "-pk").first()
    return score, None


def draft_answer(explanation_request):
    """(text, score): the four items of art. R311-3-1-2, in the applicant's language."""
    application = explanation_request.application
    score, meeting = explained_score(application)
    lines = score.lines.select_related("criterion", "checked_by") if score else []
    context = {
        "request": explanation_request,
        "application": application,
        "applicant": application.applicant,
        "score": score,
        "meeting": meeting,
        "grid": score.run.grid if score else None,
        "rules": score.run.grid.rules.all() if score else [],
        "lines": lines,
    }
    with translation.override(application.applicant.preferred_language):
        text = render_to_string("housing/explanation_draft.txt", context)
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n", score
