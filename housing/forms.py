from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from committees.models import Attendance, Committee, Decision, Meeting
from core import uploads
from housing.models import Application, OccupancyAgreement, SupportingDocument, Unit, UnitPhoto

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
HOUSING_COMMITTEES = [Committee.Kind.HOUSING, Committee.Kind.RESIDENCE, Committee.Kind.DELEGATED]
# Under the shared 10 MB: a scanned page or a phone photo fits in 5 MB, as the upload form says.
HOUSING_DOCUMENT_MAX_BYTES = 5 * uploads.MB


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "scheme",
            "desired_start",
            "desired_end",
            "household_size",
            "children_count",
            "accessibility_needed",
            "max_budget",
            "housing_situation",
            "training_completed",
            "local_activity",
            "motivation",
        ]
        widgets = {"desired_start": DATE, "desired_end": DATE, "motivation": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "max_budget": _("0 if you can only take a free unit."),
            "accessibility_needed": _("Only this yes/no is asked: never send medical details."),
        }

    def __init__(self, *args, applicant, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant = applicant

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("desired_start"), cleaned.get("desired_end")
        if start and end and end <= start:
            self.add_error(
                "desired_end", ValidationError(_("The departure date must come after the arrival date."), code="dates")
            )
        size, children = cleaned.get("household_size"), cleaned.get("children_count")
        if size is not None and children is not None and children >= size:
            self.add_error(
                "children_count",
                ValidationError(
                    _("Count the children among the people to house: at least one adult applies."), code="children"
                ),
            )
        scheme = cleaned.get("scheme")
        if scheme and Application.objects.open().filter(applicant=self.applicant, scheme=scheme).exists():
            raise ValidationError(_("You already have an application waiting for this programme."), code="duplicate")
        return cleaned


class DocumentForm(forms.ModelForm):
    class Meta:
        model = SupportingDocument
        fields = ["kind", "file"]
        help_texts = {"file": _("PDF, JPEG, PNG or WebP, 5 MB at most.")}

    def clean_file(self):
        # An image is stored re-encoded: a phone photo of an ID card loses its GPS position.
        return uploads.check_document(self.cleaned_data["file"], max_bytes=HOUSING_DOCUMENT_MAX_BYTES)

    def save(self, application):
        document = super().save(commit=False)
        document.application = application
        document.original_name = self.cleaned_data["file"].name[:200]
        document.content_type = self.cleaned_data["file"].content_type
        document.size = self.cleaned_data["file"].size
        document.save()
        return document


class UnitPhotoForm(forms.ModelForm):
    """Used by the admin: the photo is checked, re-encoded and thumbnailed."""

    class Meta:
        model = UnitPhoto
        fields = ["unit", "image", "alt_text", "position"]

    def clean_image(self):
        uploaded = self.cleaned_data["image"]
        if uploaded and not getattr(uploaded, "_committed", False):
            self.processed = uploads.process_photo(uploaded)
        return uploaded

    def save(self, commit=True):
        photo = super().save(commit=False)
        if getattr(self, "processed", None):
            image, thumbnail = self.processed
            photo.image.save(image.name, image, save=False)
            photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
        if commit:
            photo.save()
        return photo


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["committee", "starts_at", "place", "quorum_kind", "quorum_number"]
        widgets = {"starts_at": DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(kind__in=HOUSING_COMMITTEES, is_active=True)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
    )
    reason = forms.CharField(label=_("Why the meeting is moved"), max_length=250)


class AttendanceForm(forms.Form):
    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = {a.membership_id: a.status for a in meeting.attendances.all()}
        self.memberships = list(meeting.committee.memberships.filter(is_active=True))
        for membership in self.memberships:
            self.fields[f"member_{membership.pk}"] = forms.ChoiceField(
                label=f"{membership} — {membership.get_role_display()}",
                choices=Attendance.Status.choices,
                initial=recorded.get(membership.pk, Attendance.Status.ABSENT),
            )

    def statuses(self):
        return [(m, self.cleaned_data[f"member_{m.pk}"]) for m in self.memberships]


class ConflictForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Case"), queryset=None)
    membership = forms.ModelChoiceField(label=_("Member"), queryset=None)
    reason = forms.CharField(label=_("Nature of the interest"), max_length=250)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()
        self.fields["membership"].queryset = meeting.committee.memberships.filter(is_active=True)


class ProposalForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit to allocate"), queryset=Unit.objects.active().select_related("commune"))
    available_from = forms.DateField(label=_("Available from"), widget=DATE)


OUTCOME_LABELS = {
    # Rank 1 gets the unit, the next ranks make the reserve list.
    Decision.Outcome.ACCEPTED: _("Ranked (1 = allocated)"),
    Decision.Outcome.REJECTED: _("Not allocated"),
    Decision.Outcome.INADMISSIBLE: _("Inadmissible"),
    Decision.Outcome.DEFERRED: _("Deferred"),
}


class CandidateDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=list(OUTCOME_LABELS.items()))
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("1 gets the unit, 2 and 3 are reserves."),
    )
    reason = forms.CharField(label=_("Reason (sent to the applicant)"), widget=forms.Textarea(attrs={"rows": 2}))
    justification = forms.CharField(
        label=_("Justification if this departs from the proposed order"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


CandidateDecisionFormSet = forms.formset_factory(CandidateDecisionForm, extra=0)


class OccupancyForm(forms.ModelForm):
    class Meta:
        model = OccupancyAgreement
        fields = [
            "unit",
            "legal_type",
            "start_date",
            "end_date",
            "occupant_is_student",
            "precarious_cause",
            "rent",
            "charges",
            "deposit",
            "mobility_reason",
            "mobility_proof",
            "monthly_stipend",
            "rent_covered_months",
            "checkin_on",
            "checkin_inventory",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "checkin_on": DATE,
            "precarious_cause": forms.Textarea(attrs={"rows": 2}),
            "checkin_inventory": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobility_proof"].queryset = SupportingDocument.objects.filter(
            application=self.instance.application, kind=SupportingDocument.Kind.MOBILITY
        )


class ExplanationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Written answer"),
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text=_(
            "Drafted from the frozen scoring run: check every item and edit it if needed before sending. "
            "It is emailed to the applicant and kept in their portal."
        ),
    )


class RenewalForm(forms.Form):
    end_date = forms.DateField(label=_("New departure date"), widget=DATE)
