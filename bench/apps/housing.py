"""Housing scenario: the committee's ranking of candidates for a unit (the latest proposal)."""

from bench.scenarios import Missing, url
from housing.models import Proposal


def ranking_path():
    proposal = Proposal.objects.order_by("-pk").first()
    if proposal is None:
        raise Missing("no committee proposal (seed_scale prepares some)")
    return url("housing:proposal", proposal.pk)
