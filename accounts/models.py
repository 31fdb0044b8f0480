from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import versions

insee_code_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$",
    _("An INSEE commune code has five characters, for example 15138 (or 2A004 in Corsica)."),
    code="invalid_insee",
)
postal_code_validator = RegexValidator(
    r"^\d{5}$", _("A French postal code has five digits, for example 15300."), code="invalid_postal_code"
)


class UserManager(DjangoUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


# The version (core/versions.py) of people's names and addresses, as staff pages show them beside what people
# booked or asked for: renewed by User.save() and delete() when they may have changed.
NAMES_VERSION = "accounts.names"


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    # Raised after each of the person's own changes: the cached fragments of their data are then rebuilt
    # (telecentre/freshness.py).
    data_version = models.PositiveIntegerField(_("data version"), default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"first_name", "last_name", "email"} & set(update_fields):
            versions.renew(NAMES_VERSION)

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        versions.renew(NAMES_VERSION)
        return deleted

    @property
    def is_unconfirmed(self):
        """Signed up, never confirmed nor used: whoever typed the address may not own it."""
        return not self.is_active and self.email_confirmed_at is None and self.last_login is None

    def confirm_email(self):
        """The person proved they read mail at the address (a confirmation or a password reset link)."""
        self.is_active = True
        self.email_confirmed_at = self.email_confirmed_at or timezone.now()
        self.save(update_fields=["is_active", "email_confirmed_at"])

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()


class Commune(models.Model):
    """A commune of the territory or elsewhere, identified by its INSEE code."""

    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True, validators=[insee_code_validator])
    name = models.CharField(_("name"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[postal_code_validator])
    in_territory = models.BooleanField(_("in the territory"), default=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.postal_code})"


class Household(models.Model):
    """The people who move with a newcomer: counted as "people installed"."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household", verbose_name=_("newcomer")
    )
    origin = models.CharField(
        _("coming from"), max_length=120, blank=True, help_text=_("Commune, region or country of origin.")
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return _("Household of %(name)s") % {"name": self.owner}

    def get_absolute_url(self):
        return reverse("accounts:household")

    @property
    def size(self):
        """The newcomer plus every member listed."""
        return 1 + self.members.count()


class HouseholdMember(models.Model):
    class Role(models.TextChoices):
        PARTNER = "partner", _("Partner")
        ADULT = "adult", _("Other adult")
        CHILD = "child", _("Child")

    class Schooling(models.TextChoices):
        NOT_APPLICABLE = "na", _("Not applicable")
        TO_ENROL = "to_enrol", _("To be enrolled")
        ENROLLED = "enrolled", _("Enrolled in a local school")
        ELSEWHERE = "elsewhere", _("Schooled elsewhere")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ADULT)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    schooling = models.CharField(
        _("schooling"), max_length=10, choices=Schooling.choices, default=Schooling.NOT_APPLICABLE
    )
    school_name = models.CharField(_("school"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["role", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(schooling="na") | models.Q(role="child"),
                name="household_member_schooling_only_for_children",
                violation_error_message=_("Only a child can be enrolled in a school."),
            )
        ]

    def __str__(self):
        return self.first_name

    @property
    def is_child(self):
        return self.role == self.Role.CHILD

    @property
    def in_local_school(self):
        return self.schooling == self.Schooling.ENROLLED


class InstallationProjectQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(stage=InstallationProject.Stage.CLOSED)

    def for_referent(self, user):
        return self.filter(referent=user)


class InstallationProject(models.Model):
    """The newcomer's "projet d'installation" and where it stands in the journey."""

    class Kind(models.TextChoices):
        SALARIED_TELEWORK = "salaried", _("Salaried telework")
        FREELANCE = "freelance", _("Freelance")
        CREATION = "creation", _("Business creation")
        TAKEOVER = "takeover", _("Business takeover")

    class Stage(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry")
        PREPARATION = "preparation", _("Preparation")
        APPLICATION = "application", _("Application")
        COMMITTEE = "committee", _("Committee")
        OFFER = "offer", _("Offer")
        IN_RESIDENCE = "in_residence", _("In residence")
        INSTALLED = "installed", _("Installed")
        FOLLOWED_UP = "followed_up", _("Followed up")
        CLOSED = "closed", _("Closed")

    newcomer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="installation_project",
        verbose_name=_("newcomer"),
    )
    kind = models.CharField(_("project"), max_length=12, choices=Kind.choices, default=Kind.SALARIED_TELEWORK)
    sector = models.CharField(_("sector of activity"), max_length=150, blank=True)
    description = models.TextField(_("what you want to do"), blank=True)
    target_commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="installation_projects",
        verbose_name=_("target commune"),
    )
    desired_arrival = models.DateField(_("desired arrival date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.ENQUIRY, db_index=True)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_projects",
        limit_choices_to={"is_staff": True},
        verbose_name=_("referent"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InstallationProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("installation project")
        verbose_name_plural = _("installation projects")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["referent", "stage"], name="project_referent_stage_idx")]

    def __str__(self):
        return _("Project of %(name)s") % {"name": self.newcomer}

    def get_absolute_url(self):
        return reverse("accounts:project")

    @property
    def stage_number(self):
        return list(self.Stage.values).index(self.stage) + 1

    @property
    def stage_count(self):
        return len(self.Stage.values)
