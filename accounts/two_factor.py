"""Optional two-factor authentication (TOTP) for staff, with django-otp.

A staff member who has confirmed an authenticator app is asked for its
six-digit code after the password; the login only completes with it.
"""

import segno
from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_SESSION_KEY = "two_factor_pending_user"


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=False)


def qr_code_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )

    def __init__(self, device, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("This code is wrong or has expired. Type the code your app shows right now."), code="bad_token"
            )
        return token
