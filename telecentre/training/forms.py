import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import uploads
from telecentre.training.models import Attendance, Complaint, Enrolment, Question, Slot
from telecentre.training.signatures import decode_signature

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = list(Enrolment.DETAILS)
        widgets = {
            "application_text": forms.Textarea(attrs={"rows": 6}),
            "adaptation_measure": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"application_text": _("Why do you want to follow this training?")}

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        version = session.programme_version
        lines = version.funding_lines() or [Enrolment.Funding.PERSONAL]
        self.fields["funding"].choices = [(line.value, line.label) for line in lines]
        self.fields["funding"].initial = lines[0]
        if version.programme.selective:
            self.fields["application_text"].required = True
            self.fields["application_text"].help_text = _(
                "Candidates are selected: describe your project and what you expect from the training."
            )
        else:
            del self.fields["application_text"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("funding") == Enrolment.Funding.CPF and not cleaned.get("file_number", "").strip():
            self.add_error("file_number", ValidationError(_("Give your CPF file number."), code="file_number"))
        if cleaned.get("adaptation_needed") and not cleaned.get("adaptation_measure", "").strip():
            self.add_error(
                "adaptation_measure",
                ValidationError(_("Describe the arrangement you need so we can prepare it."), code="measure"),
            )
        return cleaned

    def details(self):
        return {key: self.cleaned_data.get(key, "") for key in self.Meta.fields if key in self.cleaned_data}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Select")), ("refuse", _("Do not select"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason (sent to the candidate)"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the trainees)"), widget=forms.Textarea(attrs={"rows": 2}))


class SignatureForm(forms.Form):
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_signature(self):
        return decode_signature(self.cleaned_data["signature"])


class ContractSignatureForm(SignatureForm):
    document_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    accept = forms.BooleanField(
        label=_("I have read the contract, its programme and the internal rules, and I accept them."),
        error_messages={"required": _("Tick the box to confirm you have read and accept the contract.")},
    )


class AbsenceForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    absence_reason = forms.ChoiceField(label=_("Reason for absence"), choices=Attendance.AbsenceReason.choices)
    absence_details = forms.CharField(label=_("Details"), required=False, max_length=300)


class CorrectionForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)
    absence_reason = forms.ChoiceField(
        label=_("Reason for absence"), choices=[("", "—"), *Attendance.AbsenceReason.choices], required=False
    )
    absence_details = forms.CharField(label=_("Details"), required=False, max_length=300)
    unsigned_reason = forms.CharField(label=_("Why present without signature?"), required=False, max_length=300)
    evidence = forms.FileField(label=_("Evidence of presence (PDF or photo)"), required=False)
    reason = forms.CharField(label=_("Why this correction?"), max_length=300)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        return uploads.check_document(upload) if upload else None


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Result of the assessment"),
        choices=[c for c in Enrolment.Outcome.choices if c[0] != Enrolment.Outcome.PENDING],
    )
    notes = forms.CharField(label=_("Notes for the attestation"), required=False, max_length=500)


class SlotsForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    last_day = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)
    periods = forms.MultipleChoiceField(
        label=_("Half-days"),
        choices=Slot.Period.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Slot.Period.MORNING, Slot.Period.AFTERNOON],
    )
    weekdays_only = forms.BooleanField(label=_("Weekdays only"), required=False, initial=True)
    module = forms.CharField(label=_("Module"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", ValidationError(_("The last day is before the first."), code="order"))
            elif (last - first).days > 60:
                self.add_error("last_day", ValidationError(_("Add at most 60 days at a time."), code="too_long"))
        return cleaned

    def days(self):
        first, last = self.cleaned_data["first_day"], self.cleaned_data["last_day"]
        days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
        if self.cleaned_data["weekdays_only"]:
            days = [day for day in days if day.weekday() < 5]
        return days


class SurveyForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            if question.kind == Question.Kind.RATING:
                field = forms.TypedChoiceField(
                    label=question.text,
                    choices=[(str(n), str(n)) for n in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                    required=question.required,
                    help_text=_("1 = not at all satisfied, 5 = very satisfied"),
                )
            else:
                field = forms.CharField(
                    label=question.text, widget=forms.Textarea(attrs={"rows": 3}), required=question.required
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self):
        return {
            str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions if self.cleaned_data.get(f"q{q.pk}")
        }


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["session", "subject", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label = _("Training concerned (optional)")


class ComplaintAnswerForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 4}))


class ComplaintCloseForm(forms.Form):
    improvement_action = forms.CharField(
        label=_("Improvement action"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
