"""Programme finances and targets; the dashboard figures are computed from them (impact.figures).

Public cost is the sum of the expenses, each tied to a funding line; money
reinjected locally is the sum of what installed households declare. Neither is
ever typed as a total.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import InstallationProject
from core.money import euros
from core.storage import get_private_storage

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class FundingLine(models.Model):
    class Funder(models.TextChoices):
        EU_LEADER = "eu_leader", _("European Union — LEADER (FEADER)")
        EU_OTHER = "eu_other", _("European Union — other fund (FEDER, FSE)")
        STATE = "state", _("State")
        REGION = "region", _("Region")
        DEPARTMENT = "department", _("Département")
        COUNCIL = "council", _("Council's own budget")
        OTHER = "other", _("Other public funder")

    funder = models.CharField(_("funder"), max_length=12, choices=Funder.choices)
    programme = models.CharField(_("programme or action"), max_length=150)
    convention_reference = models.CharField(_("convention reference"), max_length=80, blank=True)
    amount = models.DecimalField(_("amount granted (€)"), **MONEY)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["-start_date", "funder"]
        permissions = [("view_dashboard", _("Can see the impact dashboard and export its figures"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="funding_line_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            )
        ]

    def __str__(self):
        return f"{self.get_funder_display()} — {self.programme}"


class Expense(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", _("Staff (referent, facilitation)")
        HOUSING = "housing", _("Housing (works, rent paid for newcomers)")
        WORKSPACE = "workspace", _("Coworking and fablab fit-out")
        TRAINING = "training", _("Training")
        STIPEND = "stipend", _("Residence stipends")
        PROMOTION = "promotion", _("Promotion, forum, communication")
        OTHER = "other", _("Other")

    funding_line = models.ForeignKey(
        FundingLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("funding line")
    )
    label = models.CharField(_("label"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=150, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)
    invoice_date = models.DateField(_("invoice date"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    invoice = models.FileField(
        _("invoice (PDF)"), upload_to="impact/invoices/%Y/", storage=get_private_storage, blank=True, max_length=200
    )

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-invoice_date", "-pk"]
        indexes = [models.Index(fields=["invoice_date"], name="expense_invoice_date_idx")]

    def __str__(self):
        return f"{self.label} ({euros(self.amount)})"

    def clean(self):
        if self.paid_on and self.invoice_date and self.paid_on < self.invoice_date:
            raise ValidationError({"paid_on": _("An invoice cannot be paid before it is dated.")}, code="paid_early")


class LocalSpending(models.Model):
    """What an installed household declares it spent in the territory over a period."""

    class Category(models.TextChoices):
        RENT = "rent", _("Rent or loan repayments")
        WORKS = "works", _("Works by local craftsmen")
        PURCHASES = "purchases", _("Purchases in local shops")
        SERVICES = "services", _("Local services (childcare, health, leisure)")
        OTHER = "other", _("Other local spending")

    project = models.ForeignKey(
        InstallationProject, on_delete=models.CASCADE, related_name="local_spending", verbose_name=_("household")
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    supplier = models.CharField(_("local business (optional)"), max_length=150, blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("local spending")
        verbose_name_plural = _("local spending")
        ordering = ["-period_end", "-pk"]
        indexes = [models.Index(fields=["period_end"], name="local_spending_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="local_spending_period_ordered",
                violation_error_message=_("The end of the period must be on or after its start."),
            )
        ]

    def __str__(self):
        return f"{self.get_category_display()} — {euros(self.amount)}"

    def clean(self):
        if self.period_end and self.period_end > timezone.localdate():
            raise ValidationError(
                {"period_end": _("Declare spending once it is made: the period cannot end in the future.")},
                code="future",
            )


class Target(models.Model):
    """The council's goal of new entrepreneurs: a low and a high goal by a date."""

    name = models.CharField(_("name"), max_length=150)
    low_goal = models.PositiveIntegerField(_("low goal"))
    high_goal = models.PositiveIntegerField(_("high goal"))
    start_date = models.DateField(_("counted from"))
    deadline = models.DateField(_("by"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-deadline"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(high_goal__gte=models.F("low_goal")),
                name="target_high_goal_not_below_low",
                violation_error_message=_("The high goal cannot be lower than the low goal."),
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("start_date")),
                name="target_deadline_after_start",
                violation_error_message=_("The deadline must come after the start date."),
            ),
        ]

    def __str__(self):
        return self.name
