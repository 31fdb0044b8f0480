from django import forms

from privacy.models import AccessibilityReport, DataRequest


class DataRequestForm(forms.ModelForm):
    class Meta:
        model = DataRequest
        fields = ["kind", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class AccessibilityReportForm(forms.ModelForm):
    class Meta:
        model = AccessibilityReport
        fields = ["name", "email", "page_url", "description", "assistive_technology"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
