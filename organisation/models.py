"""The public body that runs the site: its identity, contacts, legal mentions and signatories.

One record, edited by the director in the admin; every page, email and document reads it through
`Organisation.current()`. Nothing of a territory's identity is written in code or templates.
"""

import base64
import mimetypes

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren, siret

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Write the colour as # followed by six hexadecimal digits, for example #1f5f8b."), "colour"
)
nda_validator = RegexValidator(
    r"^\d{11}$", _("An activity declaration number (NDA) has eleven digits, for example 84150123415."), "nda"
)


def validate_contrast(value):
    """White text on the colour (the header, buttons) must stay readable: a contrast of 4.5:1 (RGAA 3.2)."""
    if not colour_validator.regex.match(value):
        return

    def channel(hex_pair):
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if 1.05 / (luminance + 0.05) < 4.5:
        raise ValidationError(
            _("White text on this colour is hard to read (contrast below 4.5:1): choose a darker colour."),
            code="contrast",
        )


def validate_siren(value):
    if not siren.is_valid(value):
        raise ValidationError(_("This SIREN is not valid: it has nine digits, for example 200066637."), code="siren")


def validate_siret(value):
    if not siret.is_valid(value):
        raise ValidationError(
            _("This SIRET is not valid: it has fourteen digits, for example 20006663700017."), code="siret"
        )


class Organisation(models.Model):
    """The one record of the body that runs the site (pk 1)."""

    CACHE_KEY = "organisation:current"

    # Identity
    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, help_text=_("Shown in the header and emails."))
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    postal_address = models.TextField(_("postal address"), help_text=_("Street, postal code and town, one per line."))
    town = models.CharField(_("town"), max_length=100, help_text=_("Where documents are signed: « Fait à … »."))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("contact email"))
    website = models.URLField(_("website address"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisation/", blank=True)
    main_colour = models.CharField(
        _("main colour"), max_length=7, default="#1f5f8b", validators=[colour_validator, validate_contrast]
    )

    # Legal representative and publication
    representative_name = models.CharField(_("legal representative"), max_length=200)
    representative_quality = models.CharField(
        _("quality of the legal representative"), max_length=200, help_text=_("For example: Président.")
    )
    publication_director = models.CharField(_("publication director"), max_length=200)

    # Data protection officer
    dpo_name = models.CharField(_("data protection officer"), max_length=200, help_text=_("A person or a body."))
    dpo_email = models.EmailField(_("data protection officer's email"))
    dpo_postal_address = models.TextField(_("data protection officer's postal address"))

    # Host
    host_name = models.CharField(_("host"), max_length=200)
    host_address = models.TextField(_("host's address"))
    host_phone = models.CharField(_("host's phone"), max_length=30, blank=True)

    # Appeals
    tribunal_name = models.CharField(
        _("competent administrative tribunal"), max_length=200, help_text=_("For example: Tribunal administratif de …")
    )
    tribunal_address = models.TextField(_("tribunal's address"))
    telerecours_url = models.URLField(_("Télérecours citoyens"), default="https://citoyens.telerecours.fr")

    # Training body
    training_nda = models.CharField(
        _("activity declaration number (NDA)"), max_length=11, blank=True, validators=[nda_validator]
    )
    training_siret = models.CharField(
        _("training body's SIRET"), max_length=14, blank=True, validators=[validate_siret]
    )
    qualiopi_certificate = models.CharField(_("Qualiopi certificate number"), max_length=100, blank=True)
    qualiopi_certifier = models.CharField(_("Qualiopi certifier"), max_length=200, blank=True)
    disability_referent = models.CharField(
        _("disability referent"), max_length=200, blank=True, help_text=_("Name and how to reach them.")
    )

    class Meta:
        verbose_name = _("body running the site")
        verbose_name_plural = _("body running the site")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="organisation_single_record")]

    def __str__(self):
        return self.legal_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def current(cls):
        """The record, or an unsaved blank one before the director has filled it in."""
        organisation = cache.get(cls.CACHE_KEY)
        if organisation is None:
            latest_rate = AccessibilityAudit.objects.order_by("-audited_on", "-pk").values("rate")[:1]
            organisation = cls.objects.filter(pk=1).annotate(latest_audit_rate=Subquery(latest_rate)).first()
            if organisation is None:
                # Not set up yet, so not published: non-compliant, without a query more on every page.
                organisation = cls(pk=1)
                organisation.latest_audit_rate = None
            cache.set(cls.CACHE_KEY, organisation, 300)
        return organisation

    @property
    def accessibility_state(self):
        """The RGAA compliance state the footer shows, from the latest audit: non-compliant without one."""
        if not hasattr(self, "latest_audit_rate"):
            audit = AccessibilityAudit.latest()
            self.latest_audit_rate = audit.rate if audit else None
        return AccessibilityAudit.state_for(self.latest_audit_rate)

    def logo_data_uri(self):
        """The logo as a data: URI, so a PDF embeds it without fetching anything; empty without a logo."""
        if not self.logo:
            return ""
        mimetype = mimetypes.guess_type(self.logo.name)[0] or "image/png"
        with self.logo.storage.open(self.logo.name, "rb") as handle:
            return f"data:{mimetype};base64,{base64.b64encode(handle.read()).decode('ascii')}"

    @property
    def primary_rgb(self):
        colour = self.main_colour.lstrip("#")
        return ", ".join(str(int(colour[i : i + 2], 16)) for i in (0, 2, 4))

    def signatory_for(self, kind):
        """The person who signs this kind of decision, with their quality and delegation; None if nobody does."""
        return self.signatories.filter(kind=kind, active=True).order_by("-delegation_date", "-pk").first()


class Signatory(models.Model):
    """A named person who signs one kind of decision for the body, under a delegation act."""

    class Kind(models.TextChoices):
        HOUSING_ALLOCATION = "housing_allocation", _("Housing allocation decisions")
        TRAINING_DOCUMENTS = "training_documents", _("Training documents (contracts, agreements, certificates)")
        SELECTION_COMMITTEE = "selection_committee", _("Selection committee decisions")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("body")
    )
    kind = models.CharField(_("decisions signed"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    quality = models.CharField(
        _("quality"), max_length=200, help_text=_("For example: Vice-président chargé du logement.")
    )
    delegation_reference = models.CharField(
        _("delegation act"),
        max_length=200,
        blank=True,
        help_text=_("For example: arrêté n° 2026-12. Empty for the president."),
    )
    delegation_date = models.DateField(_("date of the delegation act"), null=True, blank=True)
    active = models.BooleanField(_("signs now"), default=True)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.name}, {self.quality}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(Organisation.CACHE_KEY)

    def terms(self):
        """How a document names the signatory: name, quality and the delegation act they sign under."""
        delegation = ""
        if self.delegation_reference:
            delegation = gettext("under delegation %(reference)s") % {"reference": self.delegation_reference}
            if self.delegation_date:
                delegation += " " + gettext("of %(date)s") % {"date": self.delegation_date.strftime("%d/%m/%Y")}
        return {"name": self.name, "quality": self.quality, "delegation": delegation}


class AccessibilityAudit(models.Model):
    """An RGAA audit of the site: the footer and the accessibility statement read the latest one."""

    class State(models.TextChoices):
        TOTAL = "total", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("non-compliant")

    audited_on = models.DateField(_("date of the audit"))
    auditor = models.CharField(_("auditor"), max_length=200, help_text=_("The body or person who made the audit."))
    rate = models.DecimalField(
        _("compliance rate (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Share of the applicable RGAA criteria met, from 0 to 100."),
    )
    pages = models.TextField(_("pages audited"), help_text=_("One page per line: its name and address."))
    non_compliances = models.TextField(_("non-compliant content"), blank=True)
    derogations = models.TextField(
        _("content exempt from the obligation"), blank=True, help_text=_("Derogations, with their reason.")
    )
    disproportionate_burden = models.TextField(_("disproportionate burden"), blank=True)
    technologies = models.CharField(_("technologies used"), max_length=200, default="HTML5, CSS, JavaScript")
    test_environment = models.TextField(
        _("test environment"), blank=True, help_text=_("Browsers and assistive technologies used for the audit.")
    )
    tools = models.TextField(_("evaluation tools"), blank=True)
    statement_date = models.DateField(_("date of the statement"))

    class Meta:
        verbose_name = _("accessibility audit")
        verbose_name_plural = _("accessibility audits")
        ordering = ["-audited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=100),
                name="accessibility_audit_rate_0_100",
                violation_error_message=_("The compliance rate is a percentage between 0 and 100."),
            )
        ]

    def __str__(self):
        return f"{self.auditor}, {self.audited_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(Organisation.CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(Organisation.CACHE_KEY)
        return result

    @classmethod
    def latest(cls):
        return cls.objects.order_by("-audited_on", "-pk").first()

    @classmethod
    def state_for(cls, rate):
        """RGAA: fully compliant when every criterion is met, partially from half of them, otherwise (or with
        no audit) non-compliant."""
        if rate is None or rate < 50:
            return cls.State.NONE
        return cls.State.TOTAL if rate >= 100 else cls.State.PARTIAL

    @property
    def state(self):
        return self.state_for(self.rate)

    def pages_list(self):
        return [line.strip() for line in self.pages.splitlines() if line.strip()]


class AccessibilityPlan(models.Model):
    """The multi-year accessibility scheme (schéma pluriannuel, three years at most) or one year's action plan."""

    class Kind(models.TextChoices):
        MULTI_YEAR = "multi_year", _("Multi-year scheme")
        ACTION_PLAN = "action_plan", _("Action plan of the year")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    content = models.TextField(_("content"), help_text=_("The measures planned, as adopted."))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("accessibility plan")
        verbose_name_plural = _("accessibility plans")
        ordering = ["-first_year", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="accessibility_plan_years_in_order",
                violation_error_message=_("The last year comes after the first one."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.first_year}–{self.last_year}"

    @classmethod
    def in_force(cls, kind, year):
        return cls.objects.filter(kind=kind, first_year__lte=year, last_year__gte=year).order_by("-first_year").first()
