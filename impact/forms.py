import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import query as parameters
from core import uploads
from impact.figures import Period
from impact.models import Expense, LocalSpending, Target
from telecentre import freshness

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_period():
    """From the start of the latest target begun (else four years back) to today."""
    today = timezone.localdate()

    def start_of_latest_target():
        target = Target.objects.filter(start_date__lte=today).order_by("-deadline").first()
        return target.start_date if target else None

    start = freshness.cached_fragment("impact-default-start", ["impact.target"], start_of_latest_target, vary=[today])
    return Period(start or datetime.date(today.year - 4, 1, 1), today)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        first, last = parameters.days_allowed()
        for name in ("start", "end"):
            if cleaned.get(name) and not first <= cleaned[name] <= last:
                self.add_error(name, ValidationError(parameters.days_allowed_message(), code="out_of_range"))
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise ValidationError(_("The end of the period must come after its start."), code="reversed")
        return cleaned

    def period(self):
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return default_period()


class LocalSpendingForm(forms.ModelForm):
    class Meta:
        model = LocalSpending
        fields = ["category", "amount", "period_start", "period_end", "supplier"]
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}
        help_texts = {"amount": _("In euros, for the whole period, in the territory only.")}


class ExpenseForm(forms.ModelForm):
    """The admin's expense form: the invoice must really be a PDF (or a scan as an image, re-encoded)."""

    class Meta:
        model = Expense
        fields = [
            "funding_line",
            "label",
            "supplier",
            "category",
            "amount",
            "invoice_number",
            "invoice_date",
            "paid_on",
            "invoice",
        ]
        # The private storage gives no URL to show: the admin links to the invoice view instead.
        widgets = {"invoice": forms.FileInput}

    def clean_invoice(self):
        invoice = self.cleaned_data.get("invoice")
        if isinstance(invoice, UploadedFile):
            return uploads.check_document(invoice)
        return invoice
