"""Bridge housing ("logements passerelles") and entrepreneur residences.

Units are allocated by a committee (``committees``) on a published, versioned
scoring grid: eligibility rules say who may apply (an ineligible file gets a
reason), criteria rank the eligible ones. Every scoring run freezes the grid
version, the values, their sources and the points; decisions are the members'.
Occupancy agreements hold the legal rules (caps by profile, renewals, deposits)
and never overlap on a unit (PostgreSQL exclusion constraint, plus a lock and a
recheck in one transaction on every database).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Avg, F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Commune, Household, InstallationProject
from committees.models import Decision, Meeting
from core.dates import long_date
from core.storage import get_private_storage
from housing.dates import add_months, add_stay

ProjectKind = InstallationProject.Kind


class Scheme(models.TextChoices):
    BRIDGE = "bridge", _("Bridge housing")
    RESIDENCE_SHORT = "residence_short", _("Short entrepreneur residence (days to two weeks)")
    RESIDENCE_LONG = "residence_long", _("Long entrepreneur residence (2 to 12 months)")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_scheme(self, scheme):
        programme = Unit.Programme.BRIDGE if scheme == Scheme.BRIDGE else Unit.Programme.RESIDENCE
        return self.filter(programme=programme)


class Unit(models.Model):
    class Programme(models.TextChoices):
        BRIDGE = "bridge", _("Bridge housing")
        RESIDENCE = "residence", _("Entrepreneur residence")

    class Layout(models.TextChoices):
        STUDIO = "studio", _("Studio")
        F1 = "F1", _("F1 (one room)")
        F2 = "F2", _("F2 (two rooms)")
        F3 = "F3", _("F3 (three rooms)")
        F4 = "F4", _("F4 (four rooms)")
        F5 = "F5", _("F5 (five rooms or more)")

    name = models.CharField(_("name"), max_length=150, unique=True)
    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices, default=Programme.BRIDGE)
    layout = models.CharField(_("type"), max_length=6, choices=Layout.choices, default=Layout.F2)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="housing_units", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    surface_m2 = models.DecimalField(_("surface (m²)"), max_digits=6, decimal_places=1)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    capacity = models.PositiveSmallIntegerField(_("maximum occupants"), default=2)
    furnished = models.BooleanField(_("furnished"), default=True)
    accessible = models.BooleanField(_("adapted for reduced mobility"), default=False)
    workspace = models.BooleanField(_("workspace included"), default=False)
    is_free = models.BooleanField(_("free of charge"), default=False)
    rent = models.DecimalField(
        _("monthly rent excluding charges (€)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    charges = models.DecimalField(_("monthly charges (€)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    description = models.TextField(_("description"), blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("housing unit")
        verbose_name_plural = _("housing units")
        ordering = ["commune__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_free=False) | Q(rent=0),
                name="housing_unit_free_has_no_rent",
                violation_error_message=_("A free unit has no rent: set the rent to 0 or untick “free of charge”."),
            ),
            models.CheckConstraint(
                condition=Q(rent__gte=0, charges__gte=0),
                name="housing_unit_amounts_not_negative",
                violation_error_message=_("Rent and charges cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_layout_display()}, {self.commune.name})"

    @property
    def monthly_cost(self):
        return self.rent + self.charges

    def accepts(self, scheme):
        return (scheme == Scheme.BRIDGE) == (self.programme == self.Programme.BRIDGE)

    def fit_problems(self, application):
        """Why this unit does not suit the applicant's household (empty when it does)."""
        problems = []
        if application.household_size > self.capacity:
            problems.append(_("the household is larger than the unit's capacity"))
        if application.accessibility_needed and not self.accessible:
            problems.append(_("the unit is not adapted for reduced mobility"))
        if not self.is_free and self.monthly_cost > (application.max_budget or 0):
            problems.append(_("the rent and charges exceed the declared budget"))
        if not self.accepts(application.scheme):
            problems.append(_("the unit belongs to another programme"))
        return problems


class UnitPhoto(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("unit"))
    image = models.ImageField(_("photo"), upload_to="housing/photos/%Y/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="housing/photos/thumbs/%Y/")
    alt_text = models.CharField(_("description for screen readers"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("unit photo")
        verbose_name_plural = _("unit photos")
        ordering = ["unit", "position", "pk"]

    def __str__(self):
        return self.alt_text


class StayCap(models.Model):
    """The maximum stay of a profile in a scheme (e.g. 18 months for creators, 6 for employees)."""

    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme.choices)
    profile = models.CharField(_("profile"), max_length=12, choices=ProjectKind.choices)
    max_months = models.PositiveSmallIntegerField(_("maximum stay (months)"), null=True, blank=True)
    max_days = models.PositiveSmallIntegerField(_("maximum stay (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("maximum stay")
        verbose_name_plural = _("maximum stays")
        ordering = ["scheme", "profile"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "profile"],
                name="housing_staycap_unique",
                violation_error_message=_("This profile already has a maximum stay in this scheme."),
            ),
            models.CheckConstraint(
                condition=(Q(max_months__isnull=False) & Q(max_days__isnull=True))
                | (Q(max_months__isnull=True) & Q(max_days__isnull=False)),
                name="housing_staycap_months_or_days",
                violation_error_message=_("Give the maximum stay either in months or in days."),
            ),
        ]

    def __str__(self):
        return f"{self.get_scheme_display()} — {self.get_profile_display()}: {self.label}"

    @property
    def label(self):
        if self.max_months:
            return ngettext("%(n)s month", "%(n)s months", self.max_months) % {"n": self.max_months}
        return ngettext("%(n)s day", "%(n)s days", self.max_days) % {"n": self.max_days}

    def limit_from(self, start):
        """The last possible departure day for a stay starting on `start`."""
        return add_stay(start, months=self.max_months, days=self.max_days)


class ScoringGridQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=ScoringGrid.Status.IN_FORCE).first()

    def published(self):
        return self.exclude(status=ScoringGrid.Status.DRAFT)


class ScoringGrid(models.Model):
    """A version of the allocation rules, adopted by a council decision and published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        ARCHIVED = "archived", _("Archived")

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    council_reference = models.CharField(_("council decision (reference)"), max_length=100)
    council_date = models.DateField(_("council decision (date)"))
    effective_from = models.DateField(_("in force from"))
    purpose = models.TextField(
        _("purpose of the scoring"),
        help_text=_("Shown to applicants: what the score is for and how far it weighs in the decision."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ScoringGridQuerySet.as_manager()

    class Meta:
        verbose_name = _("scoring grid")
        verbose_name_plural = _("scoring grids")
        ordering = ["-version"]
        permissions = [("publish_scoringgrid", _("Can publish a scoring grid"))]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="in_force"),
                name="housing_one_grid_in_force",
                violation_error_message=_("Only one scoring grid can be in force."),
            ),
        ]

    def __str__(self):
        return _("Grid v%(version)s (%(reference)s)") % {"version": self.version, "reference": self.council_reference}

    def get_absolute_url(self):
        return reverse("housing:grid-version", args=[self.version])

    @property
    def is_locked(self):
        return self.status != self.Status.DRAFT

    def publish(self):
        """Put this grid in force and archive the previous one; its rules can no longer change."""
        with transaction.atomic():
            ScoringGrid.objects.select_for_update().filter(status=self.Status.IN_FORCE).exclude(pk=self.pk).update(
                status=self.Status.ARCHIVED
            )
            self.status = self.Status.IN_FORCE
            self.published_at = timezone.now()
            self.save(update_fields=["status", "published_at"])


class _GridPart(models.Model):
    grid = models.ForeignKey(ScoringGrid, on_delete=models.CASCADE, verbose_name=_("grid"))
    label = models.CharField(_("label"), max_length=200)
    explanation = models.TextField(_("explanation"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        abstract = True
        ordering = ["grid", "position", "pk"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if ScoringGrid.objects.filter(pk=self.grid_id).exclude(status=ScoringGrid.Status.DRAFT).exists():
            raise ValidationError(
                _("A published grid cannot change: prepare a new version for the council."), code="grid_locked"
            )
        super().save(*args, **kwargs)


class EligibilityRule(_GridPart):
    class Key(models.TextChoices):
        TERRITORY = "territory", _("The project is located in the territory")
        PUBLIC = "public", _("The programme is open to the applicant's project")
        HOUSEHOLD = "household", _("The household is declared")
        DOCUMENTS = "documents", _("Identity and project documents are provided")
        DURATION = "duration", _("The stay asked for fits within the maximum stay")

    key = models.CharField(_("rule"), max_length=12, choices=Key.choices)

    class Meta(_GridPart.Meta):
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        default_related_name = "rules"
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "key"],
                name="housing_rule_unique_key",
                violation_error_message=_("This rule is already in the grid."),
            )
        ]


class Criterion(_GridPart):
    class Key(models.TextChoices):
        SENIORITY = "seniority", _("Months since the application was filed")
        CHILDREN = "children", _("Children in the household")
        HOUSING_NEED = "housing_need", _("No stable housing")
        CREATION = "creation", _("Business creation or takeover")
        TRAINING = "training", _("Telework or business-creation training completed")
        LOCAL_ACTIVITY = "local_activity", _("Job or activity already in the territory")
        ACCESSIBILITY = "accessibility", _("Priority: adaptation needed (validated by an agent)")
        REFUSED_OFFERS = "refused_offers", _("Suitable offers refused")

    key = models.CharField(_("criterion"), max_length=16, choices=Key.choices)
    points = models.DecimalField(_("points per unit"), max_digits=6, decimal_places=2)
    max_points = models.DecimalField(_("ceiling (points)"), max_digits=6, decimal_places=2, null=True, blank=True)
    requires_validation = models.BooleanField(
        _("needs validation by an agent"),
        default=False,
        help_text=_("Declared values count only once an authorised agent has validated them."),
    )

    class Meta(_GridPart.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        default_related_name = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "key"],
                name="housing_criterion_unique_key",
                violation_error_message=_("This criterion is already in the grid."),
            )
        ]


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Application.Status.SUBMITTED)

    def with_outcome(self):
        """Load what Application.outcome() reads, for a whole list in three more queries."""
        closed = (
            Decision.objects.current()
            .filter(item__meeting__status=Meeting.Status.CLOSED)
            .select_related("item__meeting__committee", "item__housing_proposal__unit__commune", "housing_letter")
            .order_by("-item__meeting__starts_at", "-pk")
        )
        pending = (
            ProposalCandidate.objects.exclude(proposal__item__meeting__status=Meeting.Status.CLOSED)
            .select_related("proposal__unit__commune", "proposal__item__meeting")
            .order_by("-proposal__item__meeting__starts_at", "-pk")
        )
        return self.prefetch_related(
            Prefetch("decisions", queryset=closed, to_attr="closed_decisions"),
            Prefetch("candidacies", queryset=pending, to_attr="pending_candidacies"),
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("run__grid").order_by("-run__run_at", "-pk"),
                to_attr="scores_newest_first",
            ),
        )

    def similar_to(self, application):
        band = min(application.household_size, 3)
        similar = self.filter(scheme=application.scheme)
        return similar.filter(household_size__gte=3) if band == 3 else similar.filter(household_size=band)

    def average_wait(self, application):
        """(average days from filing to allocation, number of files) for similar allocated applications."""
        allocated = (
            self.similar_to(application)
            .filter(allocated_at__isnull=False, submitted_at__isnull=False)
            .exclude(pk=application.pk)
        )
        result = allocated.aggregate(wait=Avg(F("allocated_at") - F("submitted_at")), n=models.Count("pk"))
        wait = result["wait"]
        if wait is None:
            return None, 0
        if not isinstance(wait, datetime.timedelta):
            # SQLite returns the average duration in microseconds.
            wait = datetime.timedelta(microseconds=wait)
        return round(wait.total_seconds() / 86400), result["n"]


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Filed, waiting for a committee")
        ALLOCATED = "allocated", _("Housing allocated")
        INADMISSIBLE = "inadmissible", _("Inadmissible")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        """Where the application stands, as the applicant, the staff, the admin and the letters say it."""

        FILED = "filed", _("Filed, waiting for the next scoring")
        INELIGIBLE = "ineligible", _("Does not meet the eligibility rules (the committee rules on it)")
        RANKED = "ranked", _("Eligible and ranked")
        PROPOSED = "proposed", _("Proposed to the committee")
        DEFERRED = "deferred", _("Decision deferred by the committee")
        RESERVE = "reserve", _("On the reserve list")
        ALLOCATED = "allocated", _("Allocated")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")

    class HousingSituation(models.TextChoices):
        NONE = "none", _("No stable housing")
        TEMPORARY = "temporary", _("Temporary housing or hosted by relatives")
        TENANT = "tenant", _("Tenant elsewhere")
        OWNER = "owner", _("Owner elsewhere")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="housing_applications",
        verbose_name=_("applicant"),
    )
    project = models.ForeignKey(
        InstallationProject,
        on_delete=models.PROTECT,
        related_name="housing_applications",
        verbose_name=_("installation project"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="housing_applications", verbose_name=_("household")
    )
    scheme = models.CharField(_("what you apply for"), max_length=16, choices=Scheme.choices, default=Scheme.BRIDGE)
    desired_start = models.DateField(_("arrival date wished"))
    desired_end = models.DateField(_("departure date wished"))
    household_size = models.PositiveSmallIntegerField(
        _("people to house"), validators=[MinValueValidator(1)], default=1
    )
    children_count = models.PositiveSmallIntegerField(_("of whom children"), default=0)
    accessibility_needed = models.BooleanField(_("someone needs a home adapted for reduced mobility"), default=False)
    max_budget = models.DecimalField(
        _("monthly budget for rent and charges (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    housing_situation = models.CharField(
        _("current housing"), max_length=10, choices=HousingSituation.choices, default=HousingSituation.TENANT
    )
    training_completed = models.BooleanField(_("I completed the telework or business-creation training"), default=False)
    local_activity = models.BooleanField(_("my job or activity is already based in the territory"), default=False)
    motivation = models.TextField(_("your project in a few lines"), blank=True)
    refused_offers = models.PositiveSmallIntegerField(_("suitable offers refused"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("filed at"), default=timezone.now)
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    decisions = GenericRelation(Decision, content_type_field="subject_type", object_id_field="subject_id")

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("housing application")
        verbose_name_plural = _("housing applications")
        ordering = ["submitted_at", "pk"]
        permissions = [
            ("run_committee", _("Can prepare and run housing committees")),
            ("export_statistics", _("Can export housing statistics")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "scheme"],
                condition=Q(status="submitted"),
                name="housing_one_open_application_per_scheme",
                violation_error_message=_("You already have an application waiting for this programme."),
            ),
            models.CheckConstraint(
                condition=Q(desired_end__gt=F("desired_start")),
                name="housing_application_dates_in_order",
                violation_error_message=_("The departure date must come after the arrival date."),
            ),
            models.CheckConstraint(
                condition=Q(children_count__lt=F("household_size")),
                name="housing_application_children_in_household",
                violation_error_message=_("The children are counted in the household: at least one adult applies."),
            ),
        ]

    def __str__(self):
        return _("%(name)s — %(scheme)s, filed %(date)s") % {
            "name": self.applicant,
            "scheme": self.get_scheme_display(),
            "date": long_date(self.submitted_at),
        }

    def get_absolute_url(self):
        return reverse("housing:application", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.SUBMITTED

    @property
    def profile(self):
        return self.project.kind

    @property
    def decide_by(self):
        """Short residences are decided within 48 hours of filing (delegated decision)."""
        if self.scheme == Scheme.RESIDENCE_SHORT:
            return self.submitted_at + datetime.timedelta(hours=48)
        return None

    def stay_cap(self):
        return StayCap.objects.filter(scheme=self.scheme, profile=self.project.kind).first()

    def outcome(self):
        """The one status shown everywhere, derived from the decisions of closed meetings (a decision is final
        once its meeting is closed), the proposals still before a committee and the latest scoring."""
        if not hasattr(self, "closed_decisions"):
            loaded = Application.objects.with_outcome().get(pk=self.pk)
            self.closed_decisions = loaded.closed_decisions
            self.pending_candidacies = loaded.pending_candidacies
            self.scores_newest_first = loaded.scores_newest_first
        if self.status == self.Status.WITHDRAWN:
            return ApplicationOutcome(self.Outcome.WITHDRAWN)
        decisions = self.closed_decisions
        allocated = [d for d in decisions if d.outcome == Decision.Outcome.ACCEPTED and d.rank == 1]
        if allocated:
            return ApplicationOutcome.of_decision(allocated[0])
        inadmissible = [d for d in decisions if d.outcome == Decision.Outcome.INADMISSIBLE]
        if inadmissible:
            return ApplicationOutcome.of_decision(inadmissible[0])
        if self.status == self.Status.CLOSED:
            return ApplicationOutcome(self.Outcome.CLOSED)
        if self.pending_candidacies:
            proposal = self.pending_candidacies[0].proposal
            return ApplicationOutcome(self.Outcome.PROPOSED, unit=proposal.unit, meeting=proposal.item.meeting)
        if decisions:
            reserves = [d for d in decisions if d.outcome == Decision.Outcome.ACCEPTED]
            return ApplicationOutcome.of_decision(reserves[0] if reserves else decisions[0])
        score = self.scores_newest_first[0] if self.scores_newest_first else None
        if score is None:
            return ApplicationOutcome(self.Outcome.FILED)
        if not score.eligible:
            return ApplicationOutcome(self.Outcome.INELIGIBLE, reason=score.ineligibility_reason)
        return ApplicationOutcome(self.Outcome.RANKED, position=score.position, out_of=score.out_of)

    def withdraw(self):
        if self.status != self.Status.SUBMITTED:
            raise ValidationError(_("Only a waiting application can be withdrawn."), code="not_open")
        self.status = self.Status.WITHDRAWN
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "closed_at", "updated_at"])


@dataclass(frozen=True)
class ApplicationOutcome:
    """An Application.Outcome with what it is about: the unit, the rank, the reasons, the deciding meeting."""

    code: str
    unit: "Unit | None" = None
    rank: int | None = None
    reason: str = ""
    meeting: Meeting | None = None
    decision: Decision | None = None
    position: int | None = None
    out_of: int | None = None

    BY_DECISION = {
        Decision.Outcome.REJECTED: Application.Outcome.REFUSED,
        Decision.Outcome.INADMISSIBLE: Application.Outcome.REFUSED,
        Decision.Outcome.DEFERRED: Application.Outcome.DEFERRED,
    }

    @classmethod
    def of_decision(cls, decision):
        """What one committee decision means for the applicant (the letter of that decision says the same)."""
        if decision.outcome == Decision.Outcome.ACCEPTED:
            code = Application.Outcome.ALLOCATED if decision.rank == 1 else Application.Outcome.RESERVE
        else:
            code = cls.BY_DECISION[decision.outcome]
        return cls(
            code,
            unit=decision.item.housing_proposal.unit,
            rank=decision.rank if code == Application.Outcome.RESERVE else None,
            reason=decision.reason,
            meeting=decision.item.meeting,
            decision=decision,
        )

    @property
    def is_final(self):
        return self.decision is not None

    @property
    def label(self):
        """The status in a few words: "On the reserve list, rank 3", "Eligible and ranked 2 of 14"."""
        if self.code == Application.Outcome.RESERVE:
            return _("On the reserve list, rank %(rank)s") % {"rank": self.rank}
        if self.code == Application.Outcome.RANKED and self.position:
            return _("Eligible and ranked %(position)s of %(out_of)s") % {
                "position": self.position,
                "out_of": self.out_of,
            }
        if self.code == Application.Outcome.REFUSED and self.decision.outcome == Decision.Outcome.INADMISSIBLE:
            return _("Refused: inadmissible")
        return Application.Outcome(self.code).label

    def __str__(self):
        return str(self.label)


class SupportingDocument(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        PROJECT = "project", _("Project proof (business plan, employment contract, registration)")
        RESOURCES = "resources", _("Proof of resources")
        MOBILITY = "mobility", _("Proof of eligibility for a mobility lease")
        OTHER = "other", _("Other document")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("file"), upload_to="housing/documents/%Y/%m/", storage=get_private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self):
        return reverse("housing:document", args=[self.pk])


class CriterionCheck(models.Model):
    """An agent's check of a declared value: it becomes verified or validated (or is rejected)."""

    class Status(models.TextChoices):
        VERIFIED = "verified", _("Verified on documents")
        VALIDATED = "validated", _("Validated by an authorised agent")
        REJECTED = "rejected", _("Not confirmed")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="checks", verbose_name=_("application")
    )
    key = models.CharField(_("criterion"), max_length=16, choices=Criterion.Key.choices)
    status = models.CharField(_("result"), max_length=10, choices=Status.choices)
    note = models.CharField(_("justification type"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("criterion check")
        verbose_name_plural = _("criterion checks")
        ordering = ["application", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"],
                name="housing_check_unique",
                violation_error_message=_("This criterion has already been checked for this application."),
            )
        ]

    def __str__(self):
        return f"{self.get_key_display()}: {self.get_status_display()}"


class _Immutable(models.Model):
    """Rows written once: the history of scores cannot be rewritten."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The history of scores cannot be changed."), code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The history of scores cannot be deleted."), code="immutable")


class ScoringRun(_Immutable):
    grid = models.ForeignKey(ScoringGrid, on_delete=models.PROTECT, related_name="runs", verbose_name=_("grid"))
    run_at = models.DateTimeField(_("run at"), default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )

    class Meta:
        verbose_name = _("scoring run")
        verbose_name_plural = _("scoring runs")
        ordering = ["-run_at", "-pk"]

    def __str__(self):
        return _("Scoring of %(date)s, grid v%(version)s") % {
            "date": timezone.localtime(self.run_at).strftime("%Y-%m-%d %H:%M"),
            "version": self.grid.version,
        }


class Score(_Immutable):
    run = models.ForeignKey(ScoringRun, on_delete=models.PROTECT, related_name="scores", verbose_name=_("run"))
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="scores", verbose_name=_("application")
    )
    eligible = models.BooleanField(_("eligible"))
    ineligibility_reason = models.TextField(_("why the application is not eligible"), blank=True)
    total = models.DecimalField(_("points"), max_digits=7, decimal_places=2, default=Decimal("0"))
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    out_of = models.PositiveIntegerField(_("eligible applications in the same programme"), null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["run", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "application"],
                name="housing_score_unique",
                violation_error_message=_("This application is already scored in this run."),
            ),
            models.CheckConstraint(
                condition=Q(eligible=True) | ~Q(ineligibility_reason=""),
                name="housing_ineligible_has_reason",
                violation_error_message=_("An ineligible application gets a reason, not a low score."),
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.total}"


class ScoreLine(_Immutable):
    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed from the file")
        DECLARED = "declared", _("Declared by the applicant")
        RECORDED = "recorded", _("Recorded by the housing service, not checked by an agent")
        VERIFIED = "verified", _("Verified by an agent")
        VALIDATED = "validated", _("Validated by an authorised agent")

    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="lines", verbose_name=_("score"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    value = models.CharField(_("value"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["score", "criterion__position", "pk"]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class Proposal(models.Model):
    """A unit brought to a committee meeting, with the ranked eligible candidates."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("unit"))
    item = models.OneToOneField(
        "committees.AgendaItem",
        on_delete=models.PROTECT,
        related_name="housing_proposal",
        verbose_name=_("agenda item"),
    )
    run = models.ForeignKey(
        ScoringRun, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("scoring run")
    )
    available_from = models.DateField(_("available from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("committee proposal")
        verbose_name_plural = _("committee proposals")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.item)

    def get_absolute_url(self):
        return reverse("housing:proposal", args=[self.pk])


class ProposalCandidate(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("proposal")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("application")
    )
    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="+", verbose_name=_("score"))
    proposed_rank = models.PositiveSmallIntegerField(
        _("proposed rank"), null=True, blank=True, help_text=_("Empty for an application found ineligible.")
    )

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = [F("proposed_rank").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "application"],
                name="housing_candidate_unique",
                violation_error_message=_("This application is already proposed for this unit."),
            ),
            models.UniqueConstraint(
                fields=["proposal", "proposed_rank"],
                name="housing_candidate_unique_rank",
                violation_error_message=_("Two candidates cannot share a proposed rank."),
            ),
        ]

    def __str__(self):
        return str(self.application)


class NotificationLetter(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="letters", verbose_name=_("application")
    )
    decision = models.OneToOneField(
        "committees.Decision", on_delete=models.PROTECT, related_name="housing_letter", verbose_name=_("decision")
    )
    file = models.FileField(_("letter (PDF)"), upload_to="housing/letters/%Y/", storage=get_private_storage)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification letter")
        verbose_name_plural = _("notification letters")
        ordering = ["-sent_at"]

    def __str__(self):
        return _("Letter to %(name)s") % {"name": self.application.applicant}

    def get_absolute_url(self):
        return reverse("housing:letter", args=[self.pk])


class ExplanationRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(answered_at__isnull=True)


class ExplanationRequest(models.Model):
    """A request for the rules and characteristics of the algorithm (art. L311-3-1 CRPA).

    The written answer gives the four items of art. R311-3-1-2, drafted from the frozen score it explains and
    reviewed by staff; once sent it is emailed and kept in the applicant's portal.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="explanation_requests", verbose_name=_("application")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    score = models.ForeignKey(
        "Score",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("score explained"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = ExplanationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True)
                | (Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer="")),
                name="housing_explanation_answered_in_writing",
                violation_error_message=_("An explanation request is answered only by a written answer, sent."),
            ),
        ]

    def __str__(self):
        return str(self.application)

    @property
    def due_on(self):
        """One month of silence counts as a refusal (CADA can then be seized)."""
        return add_months(timezone.localdate(self.requested_at), 1)

    @property
    def is_overdue(self):
        return self.answered_at is None and timezone.localdate() > self.due_on

    def send(self, answer, score, user):
        """Record the reviewed answer and email it to the applicant (on commit)."""
        from core.emails import send_templated_email

        answer = answer.strip()
        if self.answered_at is not None:
            raise ValidationError(_("This request has already been answered."), code="answered")
        if not answer:
            raise ValidationError({"answer": _("Write the answer before sending it.")}, code="empty")
        self.answer, self.score, self.answered_by, self.answered_at = answer, score, user, timezone.now()
        self.save(update_fields=["answer", "score", "answered_by", "answered_at"])
        applicant = self.application.applicant
        send_templated_email(
            applicant.email,
            "housing_explanation",
            {"request": self, "applicant": applicant, "application_url": self.application.get_absolute_url()},
            language=applicant.preferred_language,
        )


class OccupancyQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=OccupancyAgreement.Status.CANCELLED)

    def overlapping(self, unit, start, end):
        return self.live().filter(unit=unit, start_date__lt=end, end_date__gt=start)

    def ending_between(self, first, last):
        """Stays whose term falls in [first, last]; a furnished lease that renews tacitly does not end."""
        ending = self.filter(status=OccupancyAgreement.Status.ACTIVE, end_date__gte=first, end_date__lte=last)
        return ending.exclude(legal_type=OccupancyAgreement.LegalType.FURNISHED, occupant_is_student=False)

    def allocate(self, agreement):
        """Save a new agreement after locking the unit and rechecking that it is free: never overlaps."""
        agreement.full_clean(exclude=["stay_limit"], validate_constraints=False)
        with transaction.atomic():
            Unit.objects.select_for_update().get(pk=agreement.unit_id)
            agreement.check_free()
            try:
                with transaction.atomic():
                    agreement.save()
            except IntegrityError as error:
                # The exclusion constraint caught a concurrent writer that skipped the lock.
                if "housing_occupancy_no_overlap" in str(error):
                    raise ValidationError(agreement.overlap_message(), code="overlap") from error
                raise
        return agreement


class OccupancyAgreement(models.Model):
    """What lets an occupant live in a unit, under loi n° 89-462 or the Code civil.

    Leases (furnished, mobility, art. 40 V) carry a rent; a rent-free occupancy is a free loan agreement
    (prêt à usage, art. 1875 Code civil), never a lease. The programme's maximum stay applies only to the
    types whose term the programme may set; a furnished lease lasts at least a year and renews tacitly.
    """

    class LegalType(models.TextChoices):
        PRECARIOUS = "precarious", _("Precarious occupancy agreement (convention d'occupation précaire)")
        ART_40V = "art40v", _("Transitional housing, art. 40 V of law 89-462")
        MOBILITY = "mobility", _("Mobility lease (bail mobilité)")
        FURNISHED = "furnished", _("Furnished lease (bail meublé)")
        LOAN = "loan", _("Free loan agreement (prêt à usage, rent-free)")

    class MobilityReason(models.TextChoices):
        # The list of art. 25-12 of loi n° 89-462, as it stands.
        TRAINING = "training", _("Vocational training")
        STUDIES = "studies", _("Higher education studies")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship contract")
        INTERNSHIP = "internship", _("Internship")
        CIVIC_SERVICE = "civic_service", _("Civic service (service civique)")
        PROFESSIONAL_MOVE = "professional_move", _("Professional transfer (mutation professionnelle)")
        TEMPORARY_ASSIGNMENT = "temporary_assignment", _("Temporary assignment in one's professional activity")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Current or upcoming")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    class Exit(models.TextChoices):
        TENANT = "tenant", _("Stayed in the territory as a tenant")
        OWNER = "owner", _("Stayed in the territory as an owner")
        OTHER_LOCAL = "other_local", _("Stayed in the territory, other housing")
        LEFT = "left", _("Left the territory")

    MOBILITY_MIN_MONTHS, MOBILITY_MAX_MONTHS = 1, 10
    FURNISHED_MIN_MONTHS, FURNISHED_STUDENT_MIN_MONTHS = 12, 9
    FURNISHED_MAX_DEPOSIT_MONTHS = 2
    # The types whose term the programme sets, so its maximum stay applies (a furnished lease's does not).
    CAPPED_TYPES = (LegalType.PRECARIOUS, LegalType.ART_40V, LegalType.MOBILITY, LegalType.LOAN)
    FURNISHED_UNIT_TYPES = (LegalType.MOBILITY, LegalType.FURNISHED)

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("unit"))
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occupancies",
        verbose_name=_("application"),
    )
    occupant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="housing_occupancies",
        verbose_name=_("occupant"),
    )
    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme.choices, default=Scheme.BRIDGE)
    profile = models.CharField(_("profile"), max_length=12, choices=ProjectKind.choices)
    legal_type = models.CharField(_("legal type"), max_length=10, choices=LegalType.choices)
    start_date = models.DateField(_("arrival"))
    end_date = models.DateField(_("departure"), help_text=_("The day the occupant leaves; the unit is free that day."))
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
    )
    stay_limit = models.DateField(
        _("latest departure allowed by the maximum stay"),
        null=True,
        blank=True,
        help_text=_("None for a furnished lease: it renews tacitly and no maximum stay applies."),
    )
    occupant_is_student = models.BooleanField(
        _("the occupant is a student"),
        default=False,
        help_text=_("A furnished lease to a student may last nine months; it then does not renew tacitly."),
    )
    precarious_cause = models.TextField(
        _("objective cause of precariousness"),
        blank=True,
        help_text=_(
            "Required for a precarious occupancy agreement: the circumstance, independent of the parties' wishes, "
            "that makes the occupancy temporary (e.g. the building is to be demolished or renovated)."
        ),
    )
    rent = models.DecimalField(_("monthly rent (€)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    charges = models.DecimalField(_("monthly charges (€)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    deposit = models.DecimalField(_("deposit (€)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    mobility_reason = models.CharField(
        _("mobility lease eligibility"),
        max_length=24,
        choices=MobilityReason.choices,
        blank=True,
        help_text=_("The occupant's situation on the lease's first day, from the list of art. 25-12 of law 89-462."),
    )
    mobility_proof = models.ForeignKey(
        "SupportingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proof of mobility lease eligibility"),
        limit_choices_to={"kind": "mobility"},
        help_text=_("A document of the application, of the kind “proof of eligibility for a mobility lease”."),
    )
    monthly_stipend = models.DecimalField(
        _("monthly stipend (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    rent_covered_months = models.PositiveSmallIntegerField(_("months of rent covered"), null=True, blank=True)
    checkin_on = models.DateField(_("check-in inventory date"), null=True, blank=True)
    checkin_inventory = models.TextField(_("check-in inventory"), blank=True)
    checkout_on = models.DateField(_("check-out inventory date"), null=True, blank=True)
    checkout_inventory = models.TextField(_("check-out inventory"), blank=True)
    exit_destination = models.CharField(_("after the stay"), max_length=12, choices=Exit.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    end_alert_sent_at = models.DateTimeField(_("end-of-stay alert sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("occupancy agreement")
        verbose_name_plural = _("occupancy agreements")
        ordering = ["unit", "start_date"]
        indexes = [models.Index(fields=["unit", "start_date", "end_date"], name="housing_occupancy_dates_idx")]
        # The no-overlap rule is an exclusion constraint added by migration 0002 on PostgreSQL.
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="housing_occupancy_dates_in_order",
                violation_error_message=_("The departure must come after the arrival."),
            ),
            models.CheckConstraint(
                condition=Q(stay_limit__isnull=True) | Q(end_date__lte=F("stay_limit")),
                name="housing_occupancy_within_cap",
                violation_error_message=_("The stay goes beyond the maximum stay for this profile."),
            ),
            models.CheckConstraint(
                condition=Q(legal_type="furnished", stay_limit__isnull=True)
                | (~Q(legal_type="furnished") & Q(stay_limit__isnull=False)),
                name="housing_occupancy_cap_only_where_allowed",
                violation_error_message=_(
                    "A furnished lease has no maximum stay; every other agreement has the programme's."
                ),
            ),
            models.CheckConstraint(
                condition=Q(legal_type="loan", rent=0) | (~Q(legal_type="loan") & Q(rent__gt=0)),
                name="housing_occupancy_rent_free_is_a_loan",
                violation_error_message=_(
                    "A rent-free occupancy is a free loan agreement, not a lease: choose that type, "
                    "or set the rent of the lease."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(legal_type="mobility") | Q(deposit=0),
                name="housing_occupancy_no_deposit_on_mobility_lease",
                violation_error_message=_("A mobility lease cannot ask for a deposit."),
            ),
            models.CheckConstraint(
                condition=~Q(legal_type="furnished") | Q(deposit__lte=F("rent") * 2),
                name="housing_occupancy_furnished_deposit_two_months",
                violation_error_message=_("The deposit of a furnished lease cannot exceed two months of rent."),
            ),
            models.CheckConstraint(
                condition=(Q(legal_type="mobility") & ~Q(mobility_reason="") & Q(mobility_proof__isnull=False))
                | (~Q(legal_type="mobility") & Q(mobility_reason="") & Q(mobility_proof__isnull=True)),
                name="housing_occupancy_mobility_eligibility",
                violation_error_message=_(
                    "A mobility lease, and only a mobility lease, needs the eligibility reason and its proof."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(legal_type="precarious") | ~Q(precarious_cause=""),
                name="housing_occupancy_precarious_has_cause",
                violation_error_message=_("A precarious occupancy agreement needs its objective cause."),
            ),
            models.CheckConstraint(
                condition=Q(legal_type="furnished") | Q(occupant_is_student=False),
                name="housing_occupancy_student_term_on_furnished",
                violation_error_message=_("The nine-month student term only exists for a furnished lease."),
            ),
            models.CheckConstraint(
                condition=Q(deposit__gte=0, rent__gte=0, charges__gte=0),
                name="housing_occupancy_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self):
        return _("%(occupant)s in %(unit)s, %(start)s → %(end)s") % {
            "occupant": self.occupant,
            "unit": self.unit.name,
            "start": long_date(self.start_date),
            "end": long_date(self.end_date),
        }

    @property
    def chain_start(self):
        first = self
        while first.renews_id:
            first = first.renews
        return first.start_date

    @property
    def renewal_count(self):
        count, current = 0, self
        while current.renews_id:
            count, current = count + 1, current.renews
        return count

    def overlap_message(self):
        return _("This unit is already occupied during these dates: choose other dates or another unit.")

    def check_free(self):
        clash = OccupancyAgreement.objects.overlapping(self.unit_id, self.start_date, self.end_date).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(self.overlap_message(), code="overlap")

    @property
    def is_free(self):
        return self.legal_type == self.LegalType.LOAN

    @property
    def renews_tacitly(self):
        """A furnished lease renews for a year unless notice is given; a student's nine-month lease does not."""
        return self.legal_type == self.LegalType.FURNISHED and not self.occupant_is_student

    def clean(self):
        super().clean()
        if not (self.start_date and self.end_date and self.profile and self.legal_type):
            return
        if self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The departure must come after the arrival.")}, code="dates")
        self._clean_legal_type()
        self._clean_stay_limit()
        if self.unit_id:
            self.check_free()

    def _clean_stay_limit(self):
        cap = StayCap.objects.filter(scheme=self.scheme, profile=self.profile).first()
        if cap is None:
            raise ValidationError(
                _("No maximum stay is set for this profile in this scheme: the programme is not open to it."),
                code="no_cap",
            )
        if self.legal_type not in self.CAPPED_TYPES:
            self.stay_limit = None
            return
        self.stay_limit = cap.limit_from(self.chain_start if self.renews_id else self.start_date)
        if self.end_date > self.stay_limit:
            raise ValidationError(
                {
                    "end_date": _(
                        "The stay goes beyond the maximum stay for this profile (%(cap)s, renewals included): "
                        "the last possible departure is %(limit)s."
                    )
                    % {"cap": cap.label, "limit": self.stay_limit.strftime("%d/%m/%Y")}
                },
                code="beyond_cap",
            )

    def _clean_legal_type(self):
        """The rules of each legal type; fields that belong to another type are emptied."""
        kind, errors = self.LegalType, {}
        if self.legal_type != kind.MOBILITY:
            self.mobility_reason, self.mobility_proof = "", None
        if self.legal_type != kind.PRECARIOUS:
            self.precarious_cause = ""
        if self.legal_type != kind.FURNISHED:
            self.occupant_is_student = False
        self.precarious_cause = self.precarious_cause.strip()
        if self.legal_type in self.FURNISHED_UNIT_TYPES and self.unit_id and not self.unit.furnished:
            errors["unit"] = _("A furnished lease or a mobility lease needs a furnished unit.")
        if self.legal_type == kind.LOAN and self.rent:
            errors["rent"] = _("A free loan agreement has no rent: a rented occupancy is a lease.")
        if self.legal_type != kind.LOAN and not self.rent:
            errors["rent"] = _(
                "A lease has a rent. For a rent-free occupancy choose the free loan agreement (prêt à usage)."
            )
        if self.legal_type == kind.PRECARIOUS and not self.precarious_cause:
            errors["precarious_cause"] = _(
                "A precarious occupancy agreement needs the objective cause that makes the occupancy temporary."
            )
        if self.legal_type == kind.MOBILITY:
            errors.update(self._mobility_errors())
        if self.legal_type == kind.FURNISHED:
            errors.update(self._furnished_errors())
        if errors:
            raise ValidationError(errors)

    def _mobility_errors(self):
        errors, start = {}, self.chain_start if self.renews_id else self.start_date
        if self.deposit:
            errors["deposit"] = _("A mobility lease cannot ask for a deposit.")
        if not self.mobility_reason:
            errors["mobility_reason"] = _("A mobility lease needs the situation that makes the occupant eligible.")
        proof = self.mobility_proof
        if proof is None:
            errors["mobility_proof"] = _(
                "A mobility lease needs the document that proves the occupant's eligibility (studies, training, "
                "transfer…): ask the applicant to add it to the application."
            )
        elif proof.kind != SupportingDocument.Kind.MOBILITY or proof.application_id != self.application_id:
            errors["mobility_proof"] = _(
                "Choose a proof of eligibility for a mobility lease from this application's documents."
            )
        if not (
            add_months(start, self.MOBILITY_MIN_MONTHS) <= self.end_date <= add_months(start, self.MOBILITY_MAX_MONTHS)
        ):
            errors["end_date"] = _("A mobility lease lasts from 1 to 10 months in all, amendment included.")
        return errors

    def _furnished_errors(self):
        errors = {}
        months = self.FURNISHED_STUDENT_MIN_MONTHS if self.occupant_is_student else self.FURNISHED_MIN_MONTHS
        earliest = add_months(self.start_date, months)
        if self.end_date < earliest:
            errors["end_date"] = _(
                "A furnished lease lasts at least one year (nine months for a student) and renews tacitly: "
                "the end of its term cannot come before %(date)s. For a shorter stay choose another agreement."
            ) % {"date": earliest.strftime("%d/%m/%Y")}
        if self.deposit > self.rent * self.FURNISHED_MAX_DEPOSIT_MONTHS:
            errors["deposit"] = _("The deposit of a furnished lease cannot exceed two months of rent.")
        return errors

    def renew(self, end_date, created_by=None):
        """A new term from this one's departure day; renewals count against the maximum stay where it applies.

        A mobility lease is never renewed: its term can be changed once by amendment, within ten months in all.
        """
        if self.status != self.Status.ACTIVE:
            raise ValidationError(_("Only a current agreement can be renewed."), code="not_active")
        if self.legal_type == self.LegalType.MOBILITY and self.renews_id:
            raise ValidationError(
                _("A mobility lease cannot be renewed: its term can be changed only once, up to 10 months in all."),
                code="mobility_not_renewable",
            )
        if OccupancyAgreement.objects.filter(renews=self).exists():
            raise ValidationError(_("This agreement has already been renewed."), code="already_renewed")
        copied = {"unit", "application", "occupant", "scheme", "profile", "legal_type", "occupant_is_student"}
        copied |= {"precarious_cause", "rent", "charges", "deposit", "mobility_reason", "mobility_proof"}
        copied |= {"monthly_stipend", "rent_covered_months"}
        fields = {f.name: getattr(self, f.name) for f in self._meta.concrete_fields if f.name in copied}
        renewal = OccupancyAgreement(
            **fields, start_date=self.end_date, end_date=end_date, renews=self, created_by=created_by
        )
        return OccupancyAgreement.objects.allocate(renewal)

    def check_out(self, on, inventory, destination):
        if self.status != self.Status.ACTIVE:
            raise ValidationError(_("This agreement is not current."), code="not_active")
        if on <= self.start_date or on > self.end_date:
            raise ValidationError(_("The check-out date must fall within the stay."), code="checkout_date")
        self.checkout_on = on
        self.checkout_inventory = inventory
        self.exit_destination = destination
        self.end_date = on
        self.status = self.Status.ENDED
        self.save(update_fields=["checkout_on", "checkout_inventory", "exit_destination", "end_date", "status"])
