"""Optional two-factor authentication (TOTP) for staff, with django-otp.

A person who has confirmed an authenticator app is asked for its six-digit code after the password; the
login only completes with it. `VerifiedLoginMiddleware` makes that hold for every way a session can be
opened (the site's login, the admin's, any later one), not only for the login page that asks for the code.
"""

import base64

import segno
from asgiref.sync import sync_to_async
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_SESSION_KEY = "two_factor_pending_user"
DEVICE_NAME = "Application d'authentification"


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def unconfirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def start_enrolment(user):
    """The device being set up (created on the first call: a POST), whose key the QR code shows."""
    return unconfirmed_device(user) or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_code_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def manual_key(device):
    """The key as authenticator apps ask for it when typed by hand (base32, in groups of four)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def signed_in_user(user):
    """The person the request acts for: nobody, when the session was opened with the password alone by a
    person who has an authenticator app (django-otp marks a session verified only after the code)."""
    if user.is_authenticated and not user.is_verified() and user_has_device(user):
        anonymous = AnonymousUser()
        anonymous.otp_device = None
        anonymous.is_verified = lambda: False
        return anonymous
    return user


class VerifiedLoginMiddleware:
    """After django-otp's OTPMiddleware: a session without the second step is no login for a person who has
    an authenticator app, so no staff screen, export or admin page opens for it, whatever opened it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: signed_in_user(user))
        auser = request.auser

        async def verified_auser():
            return await sync_to_async(signed_in_user)(await auser())

        request.auser = verified_auser
        return self.get_response(request)


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
