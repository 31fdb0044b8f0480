from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Commune, InstallationProject, User
from core import uploads
from journey.models import (
    Arrival,
    Business,
    CheckIn,
    Closure,
    Contact,
    Document,
    Enquiry,
    Offer,
    validate_siren,
    validate_siret,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
Stage = InstallationProject.Stage


class EnquiryForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("I agree that the newcomer service contacts me about my project."),
        error_messages={"required": _("Tick the box so that a referent may contact you.")},
    )

    class Meta:
        model = Enquiry
        fields = ["first_name", "last_name", "email", "phone", "origin", "notes"]
        labels = {"notes": _("Your project in a few words")}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "file"]
        help_texts = {"file": _("PDF, JPEG, PNG or WebP, 10 MB at most.")}

    def clean_file(self):
        """The PDF as sent or the image re-encoded, named after what its bytes are."""
        return uploads.check_document(self.cleaned_data["file"])


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the newcomer: say what to send instead."),
    )


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to stage"), choices=[])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            (value, label) for value, label in Stage.choices if value not in (project.stage, Stage.CLOSED)
        ]
        following = list(Stage.values).index(project.stage) + 1
        if following < len(Stage.values) - 1:
            self.initial.setdefault("to_stage", Stage.values[following])


class CloseForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["outcome", "closed_on", "reason"]
        widgets = {"closed_on": DATE_WIDGET, "reason": forms.Textarea(attrs={"rows": 2})}

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on and closed_on > timezone.localdate():
            raise ValidationError(_("The closing date cannot be in the future."), code="future")
        return closed_on


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["residence", "bridge_housing", "coworking_pass", "training", "details", "made_on", "accepted_on"]
        widgets = {"made_on": DATE_WIDGET, "accepted_on": DATE_WIDGET, "details": forms.Textarea(attrs={"rows": 3})}


class ArrivalForm(forms.ModelForm):
    class Meta:
        model = Arrival
        fields = ["arrival_date", "commune", "housing"]
        widgets = {"arrival_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(in_territory=True)


class BusinessForm(forms.ModelForm):
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        required=False,
        validators=[validate_siret],
        help_text=_("14 digits, spaces allowed, for example 732 829 320 00074."),
    )
    siren = forms.CharField(
        label=_("SIREN"),
        max_length=12,
        required=False,
        validators=[validate_siren],
        help_text=_("9 digits; filled in from the SIRET when left empty."),
    )

    class Meta:
        model = Business
        fields = [
            "name",
            "registration_pending",
            "siret",
            "siren",
            "legal_form",
            "naf_code",
            "creation_date",
            "origin",
            "jobs",
            "ceased_on",
        ]
        widgets = {"creation_date": DATE_WIDGET, "ceased_on": DATE_WIDGET}

    def clean_siret(self):
        return "".join(self.cleaned_data["siret"].split())

    def clean_siren(self):
        return "".join(self.cleaned_data["siren"].split())

    def clean(self):
        cleaned = super().clean()
        for name in ("creation_date", "ceased_on"):
            if cleaned.get(name) and cleaned[name] > timezone.localdate():
                self.add_error(name, ValidationError(_("This date cannot be in the future."), code="future"))
        return cleaned


class CheckInForm(forms.ModelForm):
    referrals = forms.MultipleChoiceField(
        label=_("Referred to"),
        choices=CheckIn.Referral.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CheckIn
        fields = [
            "done_on",
            "business_active",
            "jobs",
            "turnover_band",
            "still_in_territory",
            "housing",
            "difficulties",
            "referrals",
            "next_step",
        ]
        widgets = {
            "done_on": DATE_WIDGET,
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "business_active": forms.NullBooleanSelect,
            "still_in_territory": forms.NullBooleanSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["still_in_territory"].required = True
        if not self.initial.get("done_on"):
            self.initial["done_on"] = timezone.localdate()


class ConvertForm(forms.Form):
    referent = forms.ModelChoiceField(
        label=_("Referent"), queryset=User.objects.filter(is_staff=True, is_active=True), required=False
    )


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    kind = forms.ChoiceField(
        label=_("Project"), required=False, choices=[("", _("All projects")), *InstallationProject.Kind.choices]
    )
    referent = forms.ModelChoiceField(
        label=_("Referent"),
        required=False,
        queryset=User.objects.filter(is_staff=True, referred_projects__isnull=False).distinct(),
        empty_label=_("All referents"),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), required=False, queryset=Commune.objects.all(), empty_label=_("All communes")
    )
    overdue = forms.BooleanField(label=_("Only with an overdue check-in"), required=False)

    def filter(self, projects, today):
        if not self.is_valid():
            return projects
        data = self.cleaned_data
        for word in data["q"].split():
            projects = projects.filter(
                Q(newcomer__first_name__icontains=word)
                | Q(newcomer__last_name__icontains=word)
                | Q(newcomer__email__icontains=word)
                | Q(sector__icontains=word)
            )
        if data["stage"]:
            projects = projects.filter(stage=data["stage"])
        if data["kind"]:
            projects = projects.filter(kind=data["kind"])
        if data["referent"]:
            projects = projects.filter(referent=data["referent"])
        if data["commune"]:
            projects = projects.filter(target_commune=data["commune"])
        if data["overdue"]:
            projects = projects.filter(checkins__in=CheckIn.objects.overdue(today)).distinct()
        return projects


class ReferentForm(forms.ModelForm):
    """Who follows the newcomer's project: a member of staff, or nobody yet."""

    class Meta:
        model = InstallationProject
        fields = ["referent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = User.objects.filter(is_staff=True, is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["referent"].empty_label = _("No referent yet")


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["kind", "happened_on", "summary"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
