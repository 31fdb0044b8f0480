"""The newcomer journey around accounts.InstallationProject.

An Enquiry may exist before the person has an account; it is converted into an
InstallationProject. Each stage has a checklist (journey.checklists) made of
steps staff tick, documents the newcomer uploads and staff validate, and facts
recorded here (offer, arrival, business). Moving a project between stages goes
through journey.services.advance, which writes a StageChange row. Once
installed, CheckIns follow the household and the business for three years.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from accounts.models import Commune, InstallationProject
from core.storage import get_private_storage

FOLLOW_UP_MONTHS = (1, 3, 6, 12, 24, 36)

naf_code_validator = RegexValidator(
    r"^\d{2}\.\d{2}[A-Z]$",
    _("An activity code (NAF/APE) looks like 62.01Z: two digits, a dot, two digits and a letter."),
    code="invalid_naf",
)


def validate_siren(value):
    try:
        stdnum_siren.validate(value)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This SIREN number is not valid: check the 9 digits on your registration certificate (Kbis or INSEE)."),
            code="invalid_siren",
        ) from None


def validate_siret(value):
    # stdnum knows the La Poste exception (SIREN 356 000 000: sum of digits multiple of 5).
    try:
        stdnum_siret.validate(value)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This SIRET number is not valid: check the 14 digits on your registration certificate."),
            code="invalid_siret",
        ) from None


class HousingSituation(models.TextChoices):
    RESIDENCE = "residence", _("Entrepreneur residence")
    BRIDGE = "bridge", _("Bridge housing")
    RENTING = "renting", _("Renting")
    OWNER = "owner", _("Owner")
    FAMILY = "family", _("Staying with family or friends")
    OTHER = "other", _("Other")


class Enquiry(models.Model):
    """A first contact, possibly before any account exists."""

    class Source(models.TextChoices):
        WEBSITE = "website", _("Website")
        FORUM = "forum", _("Telework forum")
        PHONE = "phone", _("Phone call")
        IMMERSION = "immersion", _("Immersion session")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        CONVERTED = "converted", _("Converted into a project")
        DROPPED = "dropped", _("No follow-up")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email address"), db_index=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    origin = models.CharField(_("coming from"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    project = models.ForeignKey(
        InstallationProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("project"),
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="converted") | models.Q(project__isnull=False),
                name="enquiry_converted_has_project",
                violation_error_message=_("A converted enquiry must be linked to a project."),
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.get_source_display()})"


class StageChange(models.Model):
    """One move of a project from a stage to another: the journey's history."""

    project = models.ForeignKey(
        InstallationProject, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("project")
    )
    from_stage = models.CharField(_("from"), max_length=12, choices=InstallationProject.Stage.choices)
    to_stage = models.CharField(_("to"), max_length=12, choices=InstallationProject.Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-pk"]
        permissions = [
            ("view_board", _("Can see the board of installation projects")),
            ("manage_journey", _("Can move projects, tick steps and review documents")),
        ]

    def __str__(self):
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class Step(models.Model):
    """A checklist item a referent ticks (meeting held, training followed...)."""

    project = models.ForeignKey(
        InstallationProject, on_delete=models.CASCADE, related_name="steps", verbose_name=_("project")
    )
    key = models.CharField(_("step"), max_length=40)
    done_on = models.DateField(_("done on"), default=timezone.localdate)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ["done_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "key"],
                name="step_once_per_project",
                violation_error_message=_("This step is already ticked for this project."),
            )
        ]

    def __str__(self):
        from journey.checklists import label_for

        return str(label_for(self.key))


class Document(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        CV = "cv", _("CV")
        BUSINESS_PLAN = "business_plan", _("Business plan")
        APPLICATION = "application", _("Application file")
        CONVENTION = "convention", _("Signed convention")
        RESIDENCE_REPORT = "residence_report", _("Post-residence report")
        REGISTRATION = "registration", _("Business registration certificate")
        OTHER = "other", _("Other document")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        VALIDATED = "validated", _("Validated")
        REFUSED = "refused", _("Refused")

    project = models.ForeignKey(
        InstallationProject, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="journey/%Y/%m/", storage=get_private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    uploaded_at = models.DateTimeField(_("sent at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="document_refusal_has_reason",
                violation_error_message=_("Say why the document is refused."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name}"

    def validate(self, by):
        self.status = self.Status.VALIDATED
        self.refusal_reason = ""
        self.reviewed_by = by
        self.reviewed_at = timezone.now()
        self.save(update_fields=["status", "refusal_reason", "reviewed_by", "reviewed_at"])

    def refuse(self, by, reason):
        reason = reason.strip()
        if not reason:
            raise ValidationError(_("Say why the document is refused."), code="reason_required")
        self.status = self.Status.REFUSED
        self.refusal_reason = reason
        self.reviewed_by = by
        self.reviewed_at = timezone.now()
        self.save(update_fields=["status", "refusal_reason", "reviewed_by", "reviewed_at"])


class Offer(models.Model):
    """What the programme offers after a favourable committee decision."""

    project = models.OneToOneField(
        InstallationProject, on_delete=models.CASCADE, related_name="offer", verbose_name=_("project")
    )
    residence = models.BooleanField(_("entrepreneur residence"), default=False)
    bridge_housing = models.BooleanField(_("bridge housing"), default=False)
    coworking_pass = models.BooleanField(_("coworking pass"), default=False)
    training = models.BooleanField(_("training"), default=False)
    details = models.TextField(_("details"), blank=True)
    made_on = models.DateField(_("made on"), default=timezone.localdate)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(residence=True)
                | models.Q(bridge_housing=True)
                | models.Q(coworking_pass=True)
                | models.Q(training=True),
                name="offer_has_something",
                violation_error_message=_("Tick at least one thing offered."),
            )
        ]

    def __str__(self):
        return _("Offer to %(name)s") % {"name": self.project.newcomer}

    @property
    def includes_stay(self):
        return self.residence or self.bridge_housing


class Arrival(models.Model):
    """The household's arrival in the territory: the date the follow-up may count from."""

    project = models.OneToOneField(
        InstallationProject, on_delete=models.CASCADE, related_name="arrival", verbose_name=_("project")
    )
    arrival_date = models.DateField(_("arrival date"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("commune of residence")
    )
    housing = models.CharField(_("housing"), max_length=10, choices=HousingSituation.choices)

    class Meta:
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        ordering = ["-arrival_date"]

    def __str__(self):
        return f"{self.project.newcomer} — {self.arrival_date}"

    def clean(self):
        if self.arrival_date and self.arrival_date > timezone.localdate():
            raise ValidationError(
                {"arrival_date": _("Record the arrival once it has happened: the date cannot be in the future.")},
                code="future_arrival",
            )


class BusinessQuerySet(models.QuerySet):
    def started_before(self, date):
        return self.filter(creation_date__lte=date)


class Business(models.Model):
    class LegalForm(models.TextChoices):
        MICRO = "micro", _("Micro-entrepreneur")
        EI = "ei", _("Sole proprietorship (EI)")
        EURL = "eurl", _("EURL")
        SARL = "sarl", _("SARL")
        SASU = "sasu", _("SASU")
        SAS = "sas", _("SAS")
        SCOP = "scop", _("Cooperative (SCOP, SCIC)")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    class Origin(models.TextChoices):
        CREATED = "created", _("Created in the territory")
        MOVED = "moved", _("Moved to the territory")
        TAKEN_OVER = "taken_over", _("Taken over in the territory")

    project = models.OneToOneField(
        InstallationProject, on_delete=models.CASCADE, related_name="business", verbose_name=_("project")
    )
    name = models.CharField(_("business name"), max_length=150)
    registration_pending = models.BooleanField(
        _("registration pending"), default=False, help_text=_("Tick it while the business has no SIRET yet.")
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm.choices)
    naf_code = models.CharField(_("activity code (NAF/APE)"), max_length=6, blank=True, validators=[naf_code_validator])
    creation_date = models.DateField(
        _("creation date"), null=True, blank=True, help_text=_("Date the business started (registration).")
    )
    origin = models.CharField(_("created or moved"), max_length=10, choices=Origin.choices)
    jobs = models.PositiveSmallIntegerField(
        _("jobs"), default=1, help_text=_("People working in the business, the entrepreneur included.")
    )
    ceased_on = models.DateField(_("ceased on"), null=True, blank=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_pending=True)
                | (~models.Q(siret="") & models.Q(creation_date__isnull=False)),
                name="business_registered_or_pending",
                violation_error_message=_(
                    "Give the SIRET and creation date, or tick “registration pending” until you have them."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ceased_on__isnull=True) | models.Q(creation_date__isnull=False),
                name="business_ceased_after_created",
                violation_error_message=_("A business can only cease once it has a creation date."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.siren = "".join(self.siren.split())
        self.siret = "".join(self.siret.split())
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        if self.siren and self.siret and not self.siret.startswith(self.siren):
            raise ValidationError(
                {"siret": _("The SIRET must start with the 9 digits of the SIREN.")}, code="siret_siren_mismatch"
            )
        if self.ceased_on and self.creation_date and self.ceased_on < self.creation_date:
            raise ValidationError(
                {"ceased_on": _("The business cannot cease before it was created.")}, code="ceased_before_created"
            )

    @property
    def siret_display(self):
        return stdnum_siret.format(self.siret) if self.siret else ""

    def active_on(self, date):
        return self.ceased_on is None or self.ceased_on > date


class CheckInQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.pending().filter(due_on__lt=today).exclude(project__stage=InstallationProject.Stage.CLOSED)


class CheckIn(models.Model):
    """A follow-up appointment M+1 ... M+36 after the business starts or the household arrives."""

    class TurnoverBand(models.TextChoices):
        NONE = "none", _("No turnover yet")
        UNDER_10K = "lt10k", _("Under 10 000 €")
        UNDER_30K = "lt30k", _("10 000 to 30 000 €")
        UNDER_80K = "lt80k", _("30 000 to 80 000 €")
        UNDER_200K = "lt200k", _("80 000 to 200 000 €")
        OVER_200K = "ge200k", _("200 000 € or more")

    class Referral(models.TextChoices):
        INITIATIVE = "initiative", _("Initiative France")
        BGE = "bge", _("BGE")
        CHAMBER = "chamber", _("Chamber (CCI, CMA, agriculture)")
        FRANCE_TRAVAIL = "france_travail", _("France Travail")
        MENTOR = "mentor", _("Mentor")
        HOUSING = "housing", _("Housing service")
        OTHER = "other", _("Other partner")

    project = models.ForeignKey(
        InstallationProject, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("project")
    )
    months = models.PositiveSmallIntegerField(_("month"), help_text=_("Months after the start."))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    business_active = models.BooleanField(_("business active"), null=True, blank=True)
    jobs = models.PositiveSmallIntegerField(_("jobs"), null=True, blank=True)
    turnover_band = models.CharField(_("turnover band"), max_length=8, choices=TurnoverBand.choices, blank=True)
    still_in_territory = models.BooleanField(_("household still in the territory"), null=True, blank=True)
    housing = models.CharField(_("housing situation"), max_length=10, choices=HousingSituation.choices, blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    referrals = models.JSONField(_("referred to"), default=list, blank=True)
    next_step = models.CharField(_("next step"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up check-in")
        verbose_name_plural = _("follow-up check-ins")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "months"],
                name="checkin_once_per_month_offset",
                violation_error_message=_("This check-in is already scheduled."),
            )
        ]

    def __str__(self):
        return _("M+%(months)s check-in of %(name)s") % {"months": self.months, "name": self.project.newcomer}

    def clean(self):
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError(
                {"done_on": _("A check-in cannot be dated in the future: record it on the day it took place.")},
                code="future_checkin",
            )

    def is_overdue(self, today=None):
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class Closure(models.Model):
    """How a journey ended."""

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("Settled in the territory")
        LEFT = "left", _("Left the territory")
        WITHDRAWN = "withdrawn", _("Gave up before installing")
        NOT_SELECTED = "not_selected", _("Not selected by the committee")

    project = models.OneToOneField(
        InstallationProject, on_delete=models.CASCADE, related_name="closure", verbose_name=_("project")
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    closed_on = models.DateField(_("closed on"), default=timezone.localdate)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self):
        return f"{self.project.newcomer} — {self.get_outcome_display()}"


class Contact(models.Model):
    """A call, an email, a meeting or a note about a person, in the log staff read on the person's record."""

    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")
        NOTE = "note", _("Note")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts log")
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.person} — {self.get_kind_display()} — {self.happened_on:%d/%m/%Y}"

    def clean(self):
        if self.happened_on and self.happened_on > timezone.localdate():
            raise ValidationError(
                {"happened_on": _("A contact cannot be dated in the future: record it on the day it took place.")}
            )
