"""Training: programmes (versioned), sessions in half-day slots, enrolments, attendance, certificates, quality."""

import datetime
import hashlib
import json
import secrets
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.storage import get_private_storage

WITHDRAWAL_DAYS = 10  # Code du travail L6353-5: ten days from the signature of the contract.
SIGN_WITHIN_DAYS = 7  # a seat held for an unsigned contract goes back to the waiting list after a week
SIGN_AT_LEAST_DAYS = 2  # ... or at the enrolment deadline, but never less than two days after the contract is issued
COMPLETION_SHARE = Decimal("0.8")  # attended hours / planned hours for the training to count as completed
MORNING_HOURS = (datetime.time(8, 30), datetime.time(12, 30))
AFTERNOON_HOURS = (datetime.time(13, 30), datetime.time(17, 30))
RESERVED_SLUGS = {"mine", "staff", "sessions", "certificates", "survey"}  # paths of /trainings/ itself


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


class Programme(models.Model):
    """A training in the catalogue; what it teaches lives in its versions."""

    slug = models.SlugField(_("short name"), unique=True)
    selective = models.BooleanField(
        _("selection of candidates"),
        default=False,
        help_text=_("Candidates apply and staff decide; otherwise people register directly."),
    )
    grants_coworking_exemption = models.BooleanField(
        _("grants free coworking"),
        default=False,
        help_text=_("Completing this training opens the free coworking period for newcomers."),
    )
    published = models.BooleanField(_("published in the catalogue"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["slug"]

    def __str__(self):
        version = self.current_version
        return version.title if version else self.slug

    def get_absolute_url(self):
        return reverse("training:programme", args=[self.slug])

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("This short name is used by a page of the site: choose another one.")}, code="reserved"
            )

    @property
    def current_version(self):
        versions = getattr(self, "prefetched_versions", None)
        if versions is not None:
            return versions[0] if versions else None
        return self.versions.order_by("-number").first()

    def new_version(self, **changes):
        """Copy the current version with `changes`: versions used by a session stay as they were signed."""
        current = self.current_version
        fields = {f.name: getattr(current, f.name) for f in ProgrammeVersion.CONTENT_FIELDS} if current else {}
        fields.update(changes)
        number = (current.number + 1) if current else 1
        return ProgrammeVersion.objects.create(programme=self, number=number, **fields)


class BpfObjective(models.TextChoices):
    """Section F-3 of the BPF: the general objective of the training."""

    RNCP_6_8 = "rncp_6_8", _("RNCP diploma or title, level 6 to 8")
    RNCP_5 = "rncp_5", _("RNCP diploma or title, level 5")
    RNCP_4 = "rncp_4", _("RNCP diploma or title, level 4")
    RNCP_3 = "rncp_3", _("RNCP diploma or title, level 3")
    RNCP_2 = "rncp_2", _("RNCP diploma or title, level 2")
    RS = "rs", _("Certification registered in the specific directory (RS)")
    OTHER = "other", _("Other vocational training")
    SKILLS_REVIEW = "skills_review", _("Skills assessment")
    VAE = "vae", _("Validation of acquired experience")


class TrainerProfile(models.Model):
    """What a trainer's titles are (printed on contracts, L6353-4) and whether the body employs them (BPF E)."""

    class Status(models.TextChoices):
        INTERNAL = "internal", _("Staff of the training body")
        EXTERNAL = "external", _("External (subcontractor or freelance)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_profile", verbose_name=_("trainer")
    )
    titles = models.TextField(
        _("diplomas, titles and references"), help_text=_("Printed on the training contracts (Labour Code L6353-4).")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.INTERNAL)

    class Meta:
        verbose_name = _("trainer profile")
        verbose_name_plural = _("trainer profiles")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return str(self.user.get_full_name() or self.user.email)


class Funder(models.Model):
    """A body that pays for trainees (OPCO, France Travail agency, Region, employer): the agreement goes to it."""

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("postal address"))
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact's email"))

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammeVersion(models.Model):
    """The programme as published at one time; its title is reused verbatim on every document."""

    class Methods(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        DISTANCE = "distance", _("Distance learning")
        MIXED = "mixed", _("Mixed (in person and distance)")

    class Nature(models.TextChoices):
        TRAINING = "training", _("Training action")
        SKILLS_REVIEW = "skills_review", _("Skills assessment")
        VAE = "vae", _("Validation of acquired experience")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship training action")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="versions", verbose_name=_("programme")
    )
    number = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    nature = models.CharField(_("nature of the action"), max_length=20, choices=Nature.choices, default=Nature.TRAINING)
    objectives = models.TextField(_("objectives"), help_text=_("Operational objectives, one per line."))
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    duration_hours = models.DecimalField(_("duration in hours"), max_digits=6, decimal_places=1)
    distance_hours = models.DecimalField(
        _("of which at a distance (hours)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        help_text=_("Hours of distance modules, recorded per trainee with their evidence; the rest is in person."),
    )
    methods = models.CharField(_("methods"), max_length=12, choices=Methods.choices, default=Methods.IN_PERSON)
    methods_details = models.TextField(_("teaching methods"), blank=True)
    assessment = models.TextField(_("assessment methods"))
    price = models.DecimalField(_("price (euros)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    access_delay = models.CharField(
        _("access delay"),
        max_length=200,
        help_text=_("How long between the request and the start of the training (Qualiopi indicator 1)."),
    )
    cpf_code = models.CharField(
        _("CPF code (RS/RNCP)"), max_length=20, blank=True, help_text=_("Leave empty when not CPF-eligible.")
    )
    certifier = models.CharField(
        _("certifier"), max_length=200, blank=True, help_text=_("The body that holds the RS or RNCP certification.")
    )
    certification_registered_on = models.DateField(
        _("registered in the directory on"), null=True, blank=True, help_text=_("Date of the RS or RNCP registration.")
    )
    rncp_level = models.PositiveSmallIntegerField(
        _("RNCP level"),
        null=True,
        blank=True,
        choices=[(level, str(level)) for level in range(2, 9)],
        help_text=_("For an RNCP diploma or title: its level (2 to 8)."),
    )
    specialty_code = models.CharField(
        _("specialty (NSF code)"),
        max_length=4,
        blank=True,
        help_text=_("Training specialty code for the yearly report (BPF), for example 326 or 341."),
    )
    specialty_label = models.CharField(_("specialty"), max_length=120, blank=True)
    funding_opco = models.BooleanField(_("OPCO"), default=False)
    funding_france_travail = models.BooleanField(_("France Travail"), default=False)
    funding_region = models.BooleanField(_("Region"), default=False)
    funding_personal = models.BooleanField(_("personal funding"), default=True)
    free_for_newcomers = models.BooleanField(_("free for newcomers"), default=False)
    accessibility_statement = models.TextField(_("accessibility statement"))
    disability_referent = models.CharField(_("disability referent"), max_length=150)
    disability_referent_contact = models.CharField(_("disability referent's contact"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    CONTENT_FIELDS = ()  # filled below the class

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="training_version_unique_number",
                violation_error_message=_("This programme already has a version with this number."),
            ),
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0),
                name="training_version_positive_duration",
                violation_error_message=_("The duration must be more than zero hours."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="training_version_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(distance_hours__gte=0, distance_hours__lte=models.F("duration_hours")),
                name="training_version_distance_within_duration",
                violation_error_message=_("The distance hours must be between zero and the whole duration."),
            ),
        ]

    def __str__(self):
        return _("%(title)s (version %(number)s)") % {"title": self.title, "number": self.number}

    def clean(self):
        super().clean()
        if self.cpf_code and (not self.certifier or self.certification_registered_on is None):
            raise ValidationError(
                _("A programme with an RS or RNCP code names its certifier and the date of its registration."),
                code="certifier",
            )
        if self.cpf_code.upper().startswith("RNCP") and self.rncp_level is None:
            raise ValidationError({"rncp_level": _("Give the level of the RNCP certification.")}, code="level")

    @property
    def in_person_hours(self):
        return self.duration_hours - self.distance_hours

    def bpf_objective(self):
        """The line of section F-3 of the BPF (Cerfa 10443) this programme counts in."""
        if self.nature == self.Nature.SKILLS_REVIEW:
            return BpfObjective.SKILLS_REVIEW
        if self.nature == self.Nature.VAE:
            return BpfObjective.VAE
        code = self.cpf_code.upper()
        if code.startswith("RNCP"):
            level = self.rncp_level or 0
            if level >= 6:
                return BpfObjective.RNCP_6_8
            return {5: BpfObjective.RNCP_5, 4: BpfObjective.RNCP_4, 3: BpfObjective.RNCP_3}.get(
                level, BpfObjective.RNCP_2
            )
        if code.startswith("RS"):
            return BpfObjective.RS
        return BpfObjective.OTHER

    @property
    def is_frozen(self):
        """A version a session uses is a signed document: change the programme by making a new version."""
        return self.pk is not None and self.sessions.exists()

    def objective_list(self):
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def funding_lines(self):
        lines = []
        if self.cpf_code:
            lines.append(Enrolment.Funding.CPF)
        for flag, funding in [
            (self.funding_opco, Enrolment.Funding.OPCO),
            (self.funding_france_travail, Enrolment.Funding.FRANCE_TRAVAIL),
            (self.funding_region, Enrolment.Funding.REGION),
            (self.funding_personal, Enrolment.Funding.PERSONAL),
            (self.free_for_newcomers, Enrolment.Funding.FREE_NEWCOMER),
        ]:
            if flag:
                lines.append(funding)
        return lines


ProgrammeVersion.CONTENT_FIELDS = tuple(
    f for f in ProgrammeVersion._meta.concrete_fields if f.name not in {"id", "programme", "number", "created_at"}
)


class SessionQuerySet(models.QuerySet):
    def with_dates(self):
        return self.annotate(first_start=Min("slots__start"), last_end=Max("slots__end"))

    def with_enrolled_count(self):
        return self.annotate(
            enrolled_count=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEATED), distinct=True)
        )

    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)

    def upcoming(self):
        return self.scheduled().with_dates().filter(first_start__gt=timezone.now())

    def for_catalogue(self):
        return (
            self.with_dates()
            .with_enrolled_count()
            .filter(status=Session.Status.SCHEDULED, enrolment_deadline__gte=timezone.localdate())
            .select_related("programme_version", "commune")
            .order_by("first_start")
        )


class Session(models.Model):
    """One run of a programme version: its half-day slots, its place, its trainers and its seats."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    programme_version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("programme version")
    )
    place = models.CharField(_("place"), max_length=200, help_text=_("Address or name of the venue."))
    access = models.TextField(
        _("how to get there"),
        blank=True,
        help_text=_("Transport, parking, entrance and step-free access: printed on the convocation."),
    )
    commune = models.ForeignKey(
        "accounts.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("commune"),
    )
    room = models.ForeignKey(
        "coworking.Space",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("room"),
        help_text=_("Each half-day reserves this room in the coworking bookings."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="training_sessions_taught", verbose_name=_("trainers")
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=12)
    minimum = models.PositiveSmallIntegerField(_("minimum number of trainees"), default=4)
    enrolment_deadline = models.DateField(_("last day to enrol"))
    cancellation_deadline = models.DateField(
        _("last day to cancel"), help_text=_("Trainees can cancel by themselves until this day.")
    )
    minimum_check_date = models.DateField(
        _("minimum checked on"), help_text=_("If the minimum is not reached on this day, the session is cancelled.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="training_session_capacity_positive",
                violation_error_message=_("A session needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(minimum__lte=models.F("capacity")),
                name="training_session_minimum_within_capacity",
                violation_error_message=_("The minimum cannot be more than the capacity."),
            ),
        ]

    def __str__(self):
        start = self.dates()[0]
        if start:
            return _("%(title)s, from %(date)s") % {"title": self.title, "date": start.strftime("%d/%m/%Y")}
        return self.title

    def get_absolute_url(self):
        return reverse("training:session", args=[self.pk])

    @property
    def title(self):
        return self.programme_version.title

    def dates(self):
        """(first day, last day) in local time, from the slots (annotated by with_dates() when available)."""
        first, last = getattr(self, "first_start", None), getattr(self, "last_end", None)
        if first is None and not hasattr(self, "first_start"):
            bounds = self.slots.aggregate(first=Min("start"), last=Max("end"))
            first, last = bounds["first"], bounds["last"]
        zone = local_zone()
        return (first.astimezone(zone).date() if first else None, last.astimezone(zone).date() if last else None)

    def planned_hours(self):
        return sum((slot.hours for slot in self.slots.all()), Decimal("0"))

    def seats_taken(self):
        return self.enrolments.seated().count()

    def seats_left(self):
        from waitlist.services import held_quantity

        return max(0, self.capacity - self.seats_taken() - held_quantity(self))

    def is_open_for_enrolment(self, today=None):
        today = today or timezone.localdate()
        return self.status == self.Status.SCHEDULED and today <= self.enrolment_deadline

    def can_cancel_by_trainee(self, today=None):
        today = today or timezone.localdate()
        return self.status == self.Status.SCHEDULED and today <= self.cancellation_deadline

    def is_trainer(self, user):
        return user.is_authenticated and self.trainers.filter(pk=user.pk).exists()


class Slot(models.Model):
    """A half-day of a session: one line of the attendance sheet, one room booking."""

    class Period(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots", verbose_name=_("session"))
    date = models.DateField(_("date"))
    period = models.CharField(_("half-day"), max_length=10, choices=Period.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    module = models.CharField(_("module"), max_length=200, blank=True)
    booking = models.ForeignKey(
        "coworking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_slots",
        verbose_name=_("room booking"),
    )
    trainer_signature = models.ImageField(
        _("trainer's signature"), upload_to="training/signatures/trainers/", storage=get_private_storage, blank=True
    )
    trainer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_slots_signed",
        verbose_name=_("signed by the trainer"),
    )
    trainer_signed_at = models.DateTimeField(_("trainer signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("half-day")
        verbose_name_plural = _("half-days")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date", "period"],
                name="training_slot_unique_half_day",
                violation_error_message=_("This session already has this half-day."),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="training_slot_ends_after_start",
                violation_error_message=_("A half-day must end after it starts."),
            ),
        ]

    def __str__(self):
        return _("%(date)s, %(period)s") % {
            "date": self.date.strftime("%d/%m/%Y"),
            "period": self.get_period_display().lower(),
        }

    def save(self, *args, **kwargs):
        if self.start is None or self.end is None:
            self.start, self.end = self.default_times(self.date, self.period)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("training:slot-sheet", args=[self.pk])

    @staticmethod
    def default_times(date, period):
        start, end = MORNING_HOURS if period == Slot.Period.MORNING else AFTERNOON_HOURS
        zone = local_zone()
        return (
            datetime.datetime.combine(date, start, tzinfo=zone),
            datetime.datetime.combine(date, end, tzinfo=zone),
        )

    @property
    def hours(self):
        return (Decimal((self.end - self.start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.1"))

    @property
    def is_locked(self):
        return self.trainer_signed_at is not None

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.start

    def signing_closes_at(self):
        """Trainees sign from the start of the half-day until the end of that day (local time)."""
        return datetime.datetime.combine(self.date, datetime.time.max, tzinfo=local_zone())

    def check_signable(self, now=None):
        now = now or timezone.now()
        if self.session.status == Session.Status.CANCELLED:
            raise ValidationError(_("This session was cancelled: there is nothing to sign."), code="cancelled")
        if self.is_locked:
            raise ValidationError(
                _("The trainer has signed and locked this attendance sheet: ask the trainer to correct it."),
                code="locked",
            )
        if not self.has_started(now):
            raise ValidationError(
                _("This half-day has not started yet: you can sign from %(time)s.")
                % {"time": timezone.localtime(self.start).strftime("%d/%m/%Y %H:%M")},
                code="not_started",
            )
        if now > self.signing_closes_at():
            raise ValidationError(
                _("This half-day is over: ask the trainer to record your attendance."), code="too_late"
            )


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[Enrolment.Status.APPLIED, *Enrolment.SEATED])

    def seated(self):
        return self.filter(status__in=Enrolment.SEATED)

    def enrolled(self):
        return self.filter(status=Enrolment.Status.ENROLLED)

    def for_trainee(self, user):
        return self.filter(trainee=user)


class Enrolment(models.Model):
    """A person's place in a session, from the application or registration to the certificate."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Application under review")
        REFUSED = "refused", _("Application not selected")
        AWAITING = "awaiting", _("Seat held: the contract awaits your signature")
        ENROLLED = "enrolled", _("Enrolled")
        CANCELLED = "cancelled", _("Cancelled")

    # A held seat counts against capacity: the contract is offered on it, the enrolment is final once signed.
    SEATED = (Status.AWAITING, Status.ENROLLED)
    # What the trainee tells at enrolment (kept in a waiting-list entry until a seat is free).
    DETAILS = (
        "funding",
        "file_number",
        "trainee_status",
        "employer",
        "application_text",
        "adaptation_needed",
        "adaptation_measure",
    )

    class Funding(models.TextChoices):
        CPF = "cpf", _("Personal training account (CPF)")
        OPCO = "opco", _("OPCO (skills operator)")
        FRANCE_TRAVAIL = "france_travail", _("France Travail")
        REGION = "region", _("Region")
        PERSONAL = "personal", _("Personal funding")
        FREE_NEWCOMER = "free_newcomer", _("Free for newcomers (community of communes)")

    class TraineeStatus(models.TextChoices):
        """Section F-1 of the BPF: what the trainee is while in training."""

        EMPLOYEE = "employee", _("Employee of a private employer")
        APPRENTICE = "apprentice", _("Apprentice")
        JOB_SEEKER = "job_seeker", _("Job seeker")
        INDIVIDUAL = "individual", _("Individual training at their own expense")
        OTHER = "other", _("Other (self-employed, public servant, no activity)")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not assessed yet")
        REACHED = "reached", _("Objectives reached")
        PARTLY = "partly", _("Objectives partly reached")
        NOT_REACHED = "not_reached", _("Objectives not reached")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session"))
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("trainee")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    application_text = models.TextField(_("application"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_decisions",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices, default=Funding.PERSONAL)
    funder = models.ForeignKey(
        Funder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("funder"),
        help_text=_("The body that pays: the training agreement is sent to its contact."),
    )
    price = models.DecimalField(
        _("agreed price (euros)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the programme's price (nothing when free for newcomers)."),
    )
    trainee_status = models.CharField(
        _("situation during the training"),
        max_length=10,
        choices=TraineeStatus.choices,
        default=TraineeStatus.OTHER,
    )
    employer = models.CharField(
        _("employer"), max_length=200, blank=True, help_text=_("Name of your employer, if you are an employee.")
    )
    file_number = models.CharField(
        _("file number"), max_length=50, blank=True, help_text=_("CPF, OPCO or France Travail file number.")
    )
    adaptation_needed = models.BooleanField(_("adaptation needed"), default=False)
    adaptation_measure = models.TextField(
        _("adaptation requested"),
        blank=True,
        help_text=_("Describe the arrangement you need (not your health condition)."),
    )
    convocation_sent_at = models.DateTimeField(_("convocation sent at"), null=True, blank=True)
    outcome = models.CharField(_("assessment result"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_notes = models.TextField(_("assessment notes"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    attended_hours = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=1, null=True, blank=True)
    unsigned_hours = models.DecimalField(
        _("of which present without signature"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Half-days marked present with a reason and evidence instead of the trainee's signature."),
    )
    distance_hours = models.DecimalField(
        _("hours completed at a distance"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.CharField(_("reason for cancellation"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "trainee__last_name", "trainee__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"],
                condition=Q(status__in=["applied", "awaiting", "enrolled"]),
                name="training_enrolment_once_per_session",
                violation_error_message=_("This person is already enrolled in or applying for this session."),
            ),
        ]

    def __str__(self):
        return _("%(trainee)s in %(session)s") % {"trainee": self.trainee, "session": self.session.title}

    def get_absolute_url(self):
        return reverse("training:my-enrolment", args=[self.pk])

    @property
    def needs_contract(self):
        """A person who pays for the training themselves signs a training contract (L6353-3)."""
        return self.funding == self.Funding.PERSONAL and self.agreed_price() > 0

    @property
    def needs_agreement(self):
        """A funder signs a training agreement (L6353-1); for the CPF its terms of use stand for it (D6353-1 III)."""
        return self.funding in (self.Funding.OPCO, self.Funding.FRANCE_TRAVAIL, self.Funding.REGION)

    def seat_status(self):
        """The status a seat given to this enrolment takes: final at once, or once the contract is signed."""
        return self.Status.AWAITING if self.needs_contract else self.Status.ENROLLED

    def signed_contract(self):
        contract = getattr(self, "contract", None)
        if contract is not None and contract.kind == TrainingContract.Kind.CONTRACT and contract.signed_at:
            return contract
        return None

    def in_withdrawal_period(self, today=None):
        contract = self.signed_contract()
        return contract is not None and contract.in_withdrawal_period(today)

    def can_cancel(self, today=None):
        if self.status not in (self.Status.APPLIED, *self.SEATED):
            return False
        if self.session.status != Session.Status.SCHEDULED:
            return False
        return self.session.can_cancel_by_trainee(today) or self.in_withdrawal_period(today)

    def compute_hours(self):
        """(in person, of which without signature, at a distance) from the sheets and the distance records."""
        in_person = unsigned = Decimal("0")
        for attendance in self.attendances.select_related("slot").filter(status=Attendance.Status.PRESENT):
            in_person += attendance.slot.hours
            if not attendance.signature:
                unsigned += attendance.slot.hours
        distance = self.distance_activities.aggregate(total=models.Sum("hours"))["total"] or Decimal("0")
        return in_person, unsigned, distance

    @property
    def total_hours(self):
        return (self.attended_hours or Decimal("0")) + (self.distance_hours or Decimal("0"))

    def agreed_price(self):
        if self.price is not None:
            return self.price
        if self.funding == self.Funding.FREE_NEWCOMER:
            return Decimal("0")
        return self.session.programme_version.price

    def is_over(self):
        """The session has been delivered (completed by staff): the trainee sees it as done."""
        return self.session.status == Session.Status.COMPLETED

    def display_status(self):
        if self.status == self.Status.ENROLLED and self.is_over():
            return pgettext_lazy("enrolment of a delivered session", "Done")
        return self.get_status_display()

    def record_outcome(self, outcome, notes):
        """The assessment result the trainer enters; it goes on the end-of-training attestation."""
        if outcome not in self.Outcome.values or outcome == self.Outcome.PENDING:
            raise ValidationError(_("Choose the result of the assessment."), code="outcome")
        if self.certificates.filter(kind=Certificate.Kind.ATTESTATION).exists():
            raise ValidationError(
                _("The attestation is already issued with its result: it cannot be changed."), code="issued"
            )
        self.outcome, self.outcome_notes = outcome, notes
        self.save(update_fields=["outcome", "outcome_notes"])

    @property
    def is_completed(self):
        return self.completed_at is not None


class Attendance(models.Model):
    """One trainee's line on one half-day sheet: a drawn signature, or an absence with its reason."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    class AbsenceReason(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        WORK = "work", _("Work obligation")
        FAMILY = "family", _("Family reason")
        TRANSPORT = "transport", _("Transport problem")
        UNJUSTIFIED = "unjustified", _("Not justified")
        OTHER = "other", _("Other")

    class Device(models.TextChoices):
        TRAINEE_DEVICE = "trainee", _("Trainee's own device")
        TRAINER_TABLET = "tablet", _("Trainer's tablet")
        STAFF = "staff", _("Recorded by staff")

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("half-day"))
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    signature = models.ImageField(
        _("signature"), upload_to="training/signatures/", storage=get_private_storage, blank=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_via = models.CharField(_("signed on"), max_length=8, choices=Device.choices, blank=True)
    user_agent = models.CharField(_("device (browser)"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_attendances_recorded",
        verbose_name=_("recorded by"),
    )
    absence_reason = models.CharField(_("reason for absence"), max_length=12, choices=AbsenceReason.choices, blank=True)
    absence_details = models.CharField(_("details"), max_length=300, blank=True)
    unsigned_reason = models.CharField(
        _("why present without signature"),
        max_length=300,
        blank=True,
        help_text=_("For a half-day marked present without the trainee's signature."),
    )
    evidence = models.FileField(
        _("evidence of presence"),
        upload_to="training/attendance-evidence/",
        storage=get_private_storage,
        blank=True,
        help_text=_("A paper sheet signed that day, the trainer's statement, a connection log: PDF or photo."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["slot", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "enrolment"],
                name="training_attendance_once_per_half_day",
                violation_error_message=_("This trainee already has a line on this half-day's sheet."),
            ),
            models.CheckConstraint(
                condition=Q(status="present") | ~Q(absence_reason=""),
                name="training_attendance_absence_has_reason",
                violation_error_message=_("Give the reason for the absence."),
            ),
            models.CheckConstraint(
                condition=Q(status="absent") | ~Q(signature="") | (~Q(unsigned_reason="") & ~Q(evidence="")),
                name="training_attendance_unsigned_presence_proven",
                violation_error_message=_(
                    "A presence without the trainee's signature needs its reason and a piece of evidence."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.trainee} — {self.slot}"

    @property
    def is_unsigned_presence(self):
        return self.status == self.Status.PRESENT and not self.signature

    def snapshot(self):
        return {
            "status": self.status,
            "signed": bool(self.signature),
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "absence_reason": self.absence_reason,
            "absence_details": self.absence_details,
            "unsigned_reason": self.unsigned_reason,
            "evidence": bool(self.evidence),
        }


class AttendanceChange(models.Model):
    """The log of changes to a locked attendance sheet: who, when, what it was, what it became, why."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="changes", verbose_name=_("half-day"))
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance_changes", verbose_name=_("enrolment")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_attendance_changes",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"))
    reason = models.CharField(_("reason for the change"), max_length=300)

    class Meta:
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.slot} — {self.enrolment.trainee} ({self.changed_at:%d/%m/%Y %H:%M})"


class DistanceActivity(models.Model):
    """A distance module a trainee completed, with the evidence a funder checks (L6313-2: connection logs,
    work handed in, assessments)."""

    class Evidence(models.TextChoices):
        CONNECTION_LOG = "connection_log", _("Connection log of the learning platform")
        WORK = "work", _("Work handed in")
        ASSESSMENT = "assessment", _("Assessment passed")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="distance_activities", verbose_name=_("enrolment")
    )
    module = models.CharField(_("module"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    evidence_kind = models.CharField(_("kind of evidence"), max_length=16, choices=Evidence.choices)
    evidence = models.FileField(
        _("evidence"), upload_to="training/distance-evidence/", storage=get_private_storage, max_length=200
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_distance_recorded",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("distance module completed")
        verbose_name_plural = _("distance modules completed")
        ordering = ["enrolment", "completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="training_distance_positive_hours",
                violation_error_message=_("The hours of a distance module must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(evidence=""),
                name="training_distance_has_evidence",
                violation_error_message=_("Attach the evidence of the distance module."),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.trainee} — {self.module} ({self.completed_on:%d/%m/%Y})"


class Certificate(models.Model):
    """A document issued to a trainee; its content is frozen in `data` when it is issued."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Certificate of completion")
        ATTESTATION = "attestation", _("End-of-training attestation")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("enrolment")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind"],
                name="training_certificate_one_per_kind",
                violation_error_message=_("This certificate has already been issued."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self):
        return reverse("training:certificate-pdf", args=[self.pk])

    @property
    def filename(self):
        prefix = "certificat-realisation" if self.kind == self.Kind.COMPLETION else "attestation-fin-formation"
        return f"{prefix}-{self.number}.pdf"


class Questionnaire(models.Model):
    """A set of questions sent at the end of a session (hot) or some time later (cold)."""

    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", _("Satisfaction at the end of the training")
        FOLLOW_UP = "follow_up", _("Follow-up survey")
        FUNDER = "funder", _("Funders' appraisal")
        TRAINER = "trainer", _("Trainers' appraisal")

    # Who answers each kind: the trainees, or the session's funders and trainers.
    AUDIENCE = {
        Kind.SATISFACTION: "trainee",
        Kind.FOLLOW_UP: "trainee",
        Kind.FUNDER: "funder",
        Kind.TRAINER: "trainer",
    }

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    delay_days = models.PositiveSmallIntegerField(
        _("sent after (days)"), default=0, help_text=_("Days after the last half-day of the session.")
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(active=True),
                name="training_one_active_questionnaire_per_kind",
                violation_error_message=_("Only one questionnaire of each kind can be in use."),
            )
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        TEXT = "text", _("Free text")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.RATING)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self):
        return self.text


class SurveyResponseQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)

    def for_trainee(self, questionnaire, enrolment, **fields):
        """The questionnaire sent to a trainee: (response, created)."""
        trainee = enrolment.trainee
        defaults = {
            "session_id": enrolment.session_id,
            "respondent_name": trainee.get_full_name() or trainee.email,
            "respondent_email": trainee.email,
            **fields,
        }
        return self.get_or_create(questionnaire=questionnaire, enrolment=enrolment, defaults=defaults)


class SurveyResponse(models.Model):
    """A questionnaire sent to one person (a trainee, a funder's contact, a trainer), and their answers."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses", verbose_name=_("questionnaire")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("enrolment"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("session")
    )
    respondent_name = models.CharField(_("respondent"), max_length=200)
    respondent_email = models.EmailField(_("respondent's email"))
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    token = models.CharField(_("token"), max_length=64, unique=True, default=secrets.token_urlsafe, editable=False)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    satisfaction = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "enrolment"],
                name="training_survey_once_per_trainee",
                violation_error_message=_("This questionnaire was already sent to this trainee."),
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "session", "respondent_email"],
                name="training_survey_once_per_respondent",
                violation_error_message=_("This questionnaire was already sent to this person for this session."),
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire} — {self.respondent_name}"

    def get_absolute_url(self):
        return reverse("training:survey", args=[self.token])


class Complaint(models.Model):
    """The complaints register (Qualiopi indicator 31) and the improvement drawn from it (indicator 32)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Channel(models.TextChoices):
        WEBSITE = "website", _("Website")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("programme"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints", verbose_name=_("session")
    )
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_complaints",
        verbose_name=_("complainant"),
    )
    complainant_name = models.CharField(_("name"), max_length=150)
    complainant_email = models.EmailField(_("email"), blank=True)
    channel = models.CharField(_("received by"), max_length=10, choices=Channel.choices, default=Channel.WEBSITE)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    improvement_action = models.TextField(_("improvement action"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_complaints_handled",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(response=""),
                name="training_complaint_answer_has_text",
                violation_error_message=_("Write the response before marking the complaint as answered."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(improvement_action=""),
                name="training_complaint_closed_with_improvement",
                violation_error_message=_(
                    "Record the improvement action drawn from the complaint before closing it (Qualiopi indicator 32)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.received_at:%d/%m/%Y} — {self.subject}"

    def acknowledge(self, by, now=None):
        self.status = self.Status.ACKNOWLEDGED
        self.acknowledged_at = now or timezone.now()
        self.handled_by = by
        self.save(update_fields=["status", "acknowledged_at", "handled_by"])

    def answer(self, response, by, now=None):
        if not response.strip():
            raise ValidationError(_("Write the response before marking the complaint as answered."), code="empty")
        now = now or timezone.now()
        self.acknowledged_at = self.acknowledged_at or now
        self.response, self.answered_at, self.status, self.handled_by = response, now, self.Status.ANSWERED, by
        self.save(update_fields=["acknowledged_at", "response", "answered_at", "status", "handled_by"])

    def close(self, improvement_action, by, now=None):
        if not self.response:
            raise ValidationError(_("Answer the complaint before closing it."), code="not_answered")
        if not improvement_action.strip():
            raise ValidationError(
                _("Record the improvement action drawn from the complaint before closing it (Qualiopi indicator 32)."),
                code="no_improvement",
            )
        self.improvement_action = improvement_action
        self.closed_at, self.status, self.handled_by = now or timezone.now(), self.Status.CLOSED, by
        self.save(update_fields=["improvement_action", "closed_at", "status", "handled_by"])


class TrainingExpense(models.Model):
    """A cost of the training activity, for section D of the BPF (Cerfa 10443)."""

    class Kind(models.TextChoices):
        TRAINER_SALARIES = "salaries", _("Salaries of the trainers")
        BOUGHT_TRAINING = "bought", _("Training bought from others and trainers' fees")
        OTHER = "other", _("Other costs of the training activity")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200)
    amount = models.DecimalField(_("amount excluding tax (euros)"), max_digits=10, decimal_places=2)
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("session"),
    )

    class Meta:
        verbose_name = _("training expense")
        verbose_name_plural = _("training expenses")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="training_expense_not_negative",
                violation_error_message=_("An expense cannot be negative."),
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.label}"


class InternalRules(models.Model):
    """The training body's internal rules (règlement intérieur, L6352-3, R6352-1 to R6352-15), versioned:
    each contract keeps the version it was signed with."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("in force from"))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal rules")
        verbose_name_plural = _("internal rules")
        ordering = ["-version"]

    def __str__(self):
        return _("Internal rules, version %(version)s") % {"version": self.version}

    @classmethod
    def in_force(cls, today=None):
        today = today or timezone.localdate()
        return cls.objects.filter(effective_from__lte=today).order_by("-effective_from", "-version").first()


class PaymentAllowance(NamedTuple):
    """What a trainee may have paid in all on a day, and when more becomes payable (None: never more)."""

    cap: Decimal
    next_on: datetime.date | None
    next_cap: Decimal | None

    def payable(self, already_paid):
        return max(Decimal("0"), self.cap - already_paid)


FIRST_PAYMENT_SHARE = Decimal("0.30")  # L6353-6: at most 30 % of the price once the withdrawal period is over


class TrainingContract(models.Model):
    """The contract a self-paying trainee signs (L6353-3 to L6353-7), or the agreement sent to a funder
    (L6353-1, D6353-1). Its terms are frozen when it is issued; their SHA-256 is the document's fingerprint."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Vocational training contract")
        AGREEMENT = "agreement", _("Training agreement")

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="contract", verbose_name=_("enrolment")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    price = models.DecimalField(_("price (euros)"), max_digits=8, decimal_places=2)
    internal_rules = models.ForeignKey(
        InternalRules, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("internal rules")
    )
    terms = models.JSONField(_("terms"))
    document_hash = models.CharField(_("fingerprint (SHA-256)"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signature = models.ImageField(
        _("signature"), upload_to="training/contracts/", storage=get_private_storage, blank=True
    )
    signer_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    signer_user_agent = models.CharField(_("device (browser)"), max_length=300, blank=True)
    withdrawal_deadline = models.DateField(_("withdrawal deadline"), null=True, blank=True)
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    countersigned_by_name = models.CharField(_("countersigned by"), max_length=200, blank=True)
    countersigned_by_quality = models.CharField(_("quality"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent to the funder at"), null=True, blank=True)
    sent_to = models.EmailField(_("sent to"), blank=True)

    class Meta:
        verbose_name = _("contract or agreement")
        verbose_name_plural = _("contracts and agreements")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True)
                | (~Q(signature="") & Q(withdrawal_deadline__isnull=False) & Q(countersigned_at__isnull=False)),
                name="training_contract_signature_complete",
                violation_error_message=_(
                    "A signed contract keeps the drawn signature, its withdrawal deadline and the countersignature."
                ),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="training_contract_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @staticmethod
    def fingerprint(terms):
        canonical = json.dumps(terms, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @staticmethod
    def withdrawal_deadline_for(signed_at):
        """L6353-5: ten days from the signature; the trainee may withdraw until the end of that day."""
        return timezone.localtime(signed_at).date() + datetime.timedelta(days=WITHDRAWAL_DAYS)

    def sign_by(self):
        """The last day to sign: a week after the contract is issued, or the session's enrolment deadline when it
        comes first (two days at least); after it the held seat is offered to the waiting list."""
        issued = timezone.localtime(self.issued_at).date()
        last = min(issued + datetime.timedelta(days=SIGN_WITHIN_DAYS), self.enrolment.session.enrolment_deadline)
        return max(last, issued + datetime.timedelta(days=SIGN_AT_LEAST_DAYS))

    def in_withdrawal_period(self, today=None):
        today = today or timezone.localdate()
        return self.withdrawal_deadline is not None and today <= self.withdrawal_deadline

    def instalments(self):
        """[(first day, cumulative cap)] of what the trainee may have paid (L6353-6): nothing until the day after
        the withdrawal period, then 30 % of the price, then the balance half-day by half-day as delivered."""
        if self.withdrawal_deadline is None:
            return []
        first_day = self.withdrawal_deadline + datetime.timedelta(days=1)
        first = (self.price * FIRST_PAYMENT_SHARE).quantize(Decimal("0.01"))
        slots = list(self.enrolment.session.slots.order_by("start"))
        planned = sum((slot.hours for slot in slots), Decimal("0"))
        steps, delivered = [(first_day, first)], Decimal("0")
        for slot in slots:
            delivered += slot.hours
            # A half-day can be paid from the day after it was delivered, never before the withdrawal period ends.
            day = max(first_day, slot.date + datetime.timedelta(days=1))
            cap = (first + (self.price - first) * delivered / planned).quantize(Decimal("0.01"))
            if steps[-1][0] == day:
                steps[-1] = (day, max(steps[-1][1], cap))
            else:
                steps.append((day, cap))
        if steps[-1][1] != self.price:
            steps[-1] = (steps[-1][0], self.price)
        return steps

    def payment_allowance(self, today=None):
        """What the trainee may have paid in all by `today`, and the next step: the one rule online payment follows.

        Nothing before the contract is signed or while it may be withdrawn; nothing more once it is withdrawn.
        """
        today = today or timezone.localdate()
        if self.kind != self.Kind.CONTRACT or self.withdrawn_at is not None:
            return PaymentAllowance(Decimal("0"), None, None)
        steps = self.instalments()
        cap, following = Decimal("0"), None
        for day, amount in steps:
            if day <= today:
                cap = amount
            elif following is None:
                following = (day, amount)
        return PaymentAllowance(cap, *(following or (None, None)))

    def due_on_abandonment(self):
        """L6353-7: on force majeure, only the services delivered are due, in proportion to the price."""
        slots = list(self.enrolment.session.slots.all())
        planned = sum((slot.hours for slot in slots), Decimal("0"))
        if not planned:
            return Decimal("0")
        in_person, _unsigned, _distance = self.enrolment.compute_hours()
        return (self.price * in_person / planned).quantize(Decimal("0.01"))
