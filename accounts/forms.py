from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.lockout import password_matches
from accounts.models import Household, HouseholdMember, InstallationProject, User


class SignUpForm(UserCreationForm):
    usable_password = None

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        # An address already in use is not an error to show (it would tell who has an account):
        # accounts.signup decides what to send.
        exclude = self._get_validation_exclusions() | {"email"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The email address or the password is wrong. Check both (the password is case-sensitive)."),
        "inactive": _("This account is not confirmed yet: follow the link in the email we sent you."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            self.cleaned_data["username"] = username.strip().lower()
        return super().clean()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "preferred_language"]


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["origin", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["first_name", "role", "birth_year", "schooling", "school_name"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") != HouseholdMember.Role.CHILD and cleaned.get("schooling") not in (
            None,
            HouseholdMember.Schooling.NOT_APPLICABLE,
        ):
            self.add_error(
                "schooling", forms.ValidationError(_("Only a child can be enrolled in a school."), code="schooling")
            )
        return cleaned


HouseholdMemberFormSet = inlineformset_factory(
    Household, HouseholdMember, form=HouseholdMemberForm, extra=1, can_delete=True, max_num=20
)


class InstallationProjectForm(forms.ModelForm):
    class Meta:
        model = InstallationProject
        fields = ["kind", "sector", "description", "target_commune", "desired_arrival"]
        widgets = {
            "desired_arrival": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password_matches(self.request, self.request.user, password):
            raise forms.ValidationError(_("This is not your current password."), code="wrong_password")
        return password


class CheckedPasswordChangeForm(PasswordChangeForm):
    """Django's form, its current password counted with the login's failures (accounts.lockout)."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_matches(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
