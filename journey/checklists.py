"""What must be done at each stage before the project moves to the next one.

A requirement is met by a step a referent ticks, by a document staff have
validated, or by a fact recorded elsewhere (an offer, an arrival, a committee
decision). `Facts` loads everything one project's checklists need in a fixed
number of queries.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from accounts.models import HouseholdMember, InstallationProject
from journey import selection
from journey.models import Document

Stage = InstallationProject.Stage
STAGES = list(Stage.values)


def _always(facts):
    return True


def _entrepreneur(facts):
    return facts.project.kind != InstallationProject.Kind.SALARIED_TELEWORK


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    # STEP: ticked by staff; DOCUMENT: uploaded by the newcomer, validated by staff; FACT: recorded elsewhere.
    kind: str
    document_kind: str = ""
    by_newcomer: bool = False
    applies: object = field(default=_always)
    check: object = None

    def is_met(self, facts):
        if self.kind == "step":
            return self.key in facts.steps
        if self.kind == "document":
            return self.document_kind in facts.validated_documents
        return bool(self.check(facts))


def step(key, label, applies=_always):
    return Requirement(key, label, "step", applies=applies)


def document(kind, label, applies=_always):
    return Requirement(f"document_{kind}", label, "document", document_kind=kind, by_newcomer=True, applies=applies)


def fact(key, label, check, by_newcomer=False, applies=_always):
    return Requirement(key, label, "fact", by_newcomer=by_newcomer, applies=applies, check=check)


CHECKLISTS = {
    Stage.ENQUIRY: [
        step("information_meeting", _("Information meeting held")),
        step("diagnosis", _("Diagnosis interview done (project, household, housing need)")),
        fact(
            "project_described",
            _("Project described, with the commune you aim for"),
            lambda f: bool(f.project.description.strip() and f.project.target_commune_id),
            by_newcomer=True,
        ),
    ],
    Stage.PREPARATION: [
        step("training", _("Telework or business creation training followed")),
        step("immersion", _("Immersion stay done")),
        document(Document.Kind.BUSINESS_PLAN, _("Business plan sent and validated"), applies=_entrepreneur),
        step("business_plan_review", _("Business plan reviewed with the referent"), applies=_entrepreneur),
    ],
    Stage.APPLICATION: [
        document(Document.Kind.APPLICATION, _("Application file sent and validated")),
        document(Document.Kind.IDENTITY, _("Identity document sent and validated")),
        document(Document.Kind.CV, _("CV sent and validated")),
        fact("household_described", _("Household described"), lambda f: f.household is not None, by_newcomer=True),
    ],
    Stage.COMMITTEE: [
        fact(
            "committee_accepted",
            _("Favourable decision of the selection committee, with its reasons"),
            lambda f: f.committee_decision is not None,
        ),
    ],
    Stage.OFFER: [
        fact(
            "offer_made", _("Offer recorded (residence, bridge housing, coworking pass, training)"), lambda f: f.offer
        ),
        fact(
            "offer_accepted",
            _("Offer accepted"),
            lambda f: f.offer is not None and f.offer.accepted_on is not None,
            by_newcomer=True,
        ),
        document(Document.Kind.CONVENTION, _("Signed convention sent and validated")),
    ],
    Stage.IN_RESIDENCE: [
        document(
            Document.Kind.RESIDENCE_REPORT,
            _("Post-residence report sent and validated"),
            applies=lambda f: f.offer is not None and f.offer.includes_stay,
        ),
        fact("arrival_recorded", _("Arrival in the territory recorded"), lambda f: f.arrival is not None),
    ],
    Stage.INSTALLED: [
        fact(
            "business_recorded",
            _("Business recorded (SIRET, or registration pending)"),
            lambda f: f.business is not None,
            by_newcomer=True,
            applies=_entrepreneur,
        ),
        fact(
            "schooling_recorded",
            _("Children's schooling recorded"),
            lambda f: f.children_to_enrol == 0,
            by_newcomer=True,
        ),
        fact("first_checkin", _("First follow-up check-in (M+1) done"), lambda f: 1 in f.checkins_done),
    ],
    Stage.FOLLOWED_UP: [
        fact("last_checkin", _("Three-year follow-up complete (M+36 check-in done)"), lambda f: 36 in f.checkins_done),
    ],
    Stage.CLOSED: [],
}

LABELS = {req.key: req.label for reqs in CHECKLISTS.values() for req in reqs}
STEP_KEYS = {req.key for reqs in CHECKLISTS.values() for req in reqs if req.kind == "step"}


def label_for(key):
    return LABELS.get(key, key)


class Facts:
    """Everything a project's checklists look at, loaded once."""

    def __init__(self, project):
        self.project = project
        self.steps = set(project.steps.values_list("key", flat=True))
        self.validated_documents = set(
            project.documents.filter(status=Document.Status.VALIDATED).values_list("kind", flat=True)
        )
        self.offer = _related_or_none(project, "offer")
        self.arrival = _related_or_none(project, "arrival")
        self.business = _related_or_none(project, "business")
        self.household = _related_or_none(project.newcomer, "household")
        self.children_to_enrol = (
            self.household.members.filter(schooling=HouseholdMember.Schooling.TO_ENROL).count() if self.household else 0
        )
        self.checkins_done = set(project.checkins.filter(done_on__isnull=False).values_list("months", flat=True))
        self.committee_decision = selection.accepted_decision(project)


def _has(obj, name):
    try:
        getattr(obj, name)
    except ObjectDoesNotExist:
        return False
    return True


def _related_or_none(obj, name):
    return getattr(obj, name) if _has(obj, name) else None


@dataclass
class Line:
    requirement: Requirement
    met: bool


def checklist(stage, facts):
    """The requirements of `stage` that apply to this project, each with whether it is met."""
    return [Line(req, req.is_met(facts)) for req in CHECKLISTS[stage] if req.applies(facts)]


def missing(stage, facts):
    return [line.requirement for line in checklist(stage, facts) if not line.met]


def missing_between(from_stage, to_stage, facts):
    """What is missing in every stage from `from_stage` up to (not including) `to_stage`."""
    start, end = STAGES.index(from_stage), STAGES.index(to_stage)
    return [(stage, reqs) for stage in STAGES[start:end] if (reqs := missing(stage, facts))]
