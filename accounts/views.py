from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from accounts import registration, two_factor
from accounts.forms import (
    CheckedPasswordChangeForm,
    DeleteAccountForm,
    EmailAuthenticationForm,
    HouseholdForm,
    HouseholdMemberFormSet,
    InstallationProjectForm,
    ProfileForm,
    SignUpForm,
)
from accounts.models import Household, InstallationProject, User
from accounts.tokens import email_confirmation_token, one_time_path
from audit.models import record as audit_record
from core import ratelimit
from core.emails import send_templated_email


class LoginView(auth_views.LoginView):
    """Password login; staff with an authenticator app are then asked for its code."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a `next`, staff land on the staff home (what needs doing today), newcomers on their portal."""
        user = getattr(self, "signing_in", None) or self.request.user
        if user.is_authenticated and user.is_staff:
            return resolve_url("staff-home")
        return super().get_default_redirect_url()

    def form_valid(self, form):
        user = self.signing_in = form.get_user()
        if two_factor.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[two_factor.PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "failures": 0,
        }
        return redirect("accounts:login-verify")


@require_http_methods(["GET", "POST"])
def login_verify(request):
    pending = request.session.get(two_factor.PENDING_SESSION_KEY)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    device = two_factor.confirmed_device(user) if user else None
    if device is None:
        return redirect("accounts:login")
    form = two_factor.TokenForm(device, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            del request.session[two_factor.PENDING_SESSION_KEY]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        pending["failures"] += 1
        if pending["failures"] >= 5:
            del request.session[two_factor.PENDING_SESSION_KEY]
            messages.error(request, _("Too many wrong codes: log in again with your password."))
            return redirect("accounts:login")
        request.session[two_factor.PENDING_SESSION_KEY] = pending
    return render(request, "accounts/login_verify.html", {"form": form})


@staff_member_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    device = two_factor.confirmed_device(request.user)
    if device is not None:
        form = two_factor.TokenForm(device, request.POST or None)
        if request.method == "POST" and form.is_valid():
            device.delete()
            audit_record(request.user, "two-factor authentication disabled", request.user)
            messages.success(request, _("Two-factor authentication is turned off."))
            return redirect("accounts:two-factor")
        return render(request, "accounts/two_factor.html", {"form": form, "enabled": True})
    device = two_factor.unconfirmed_device(request.user)
    if device is None:
        if request.method == "POST":
            two_factor.start_enrolment(request.user)
            return redirect("accounts:two-factor")
        return render(request, "accounts/two_factor.html", {"enabled": False})
    form = two_factor.TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        audit_record(request.user, "two-factor authentication enabled", request.user)
        messages.success(request, _("Two-factor authentication is on: your code will be asked at each login."))
        return redirect("accounts:two-factor")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "enabled": False,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.manual_key(device),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = CheckedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the emailed link also lifts a login lockout and, for an account
    never confirmed, confirms the address (the link was read there)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.email)
        if form.user.is_unconfirmed:
            form.user.confirm_email()
        return response


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email rendered in the user's language and sent by the worker."""

    def get_users(self, email):
        """Active accounts, and those never confirmed: their owner's reset confirms the address."""
        candidates = User.objects.filter(email__iexact=email)
        return (u for u in candidates if (u.is_active or u.is_unconfirmed) and u.has_usable_password())

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        send_templated_email(to_email, "password_reset", context, language=user.preferred_language)


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with as many emails per hour for one address and from one client as the limit lets."""

    def form_valid(self, form):
        if wait := ratelimit.stop(ratelimit.PASSWORD_RESET, self.request, form):
            return ratelimit.refuse(self.form_invalid(form), wait)
        ratelimit.count(ratelimit.PASSWORD_RESET, self.request, form.cleaned_data["email"])
        return super().form_valid(form)


def send_confirmation_email(request, user):
    path = one_time_path("accounts:confirm-email", user, email_confirmation_token)
    send_templated_email(
        user.email,
        "confirm_email",
        {"user": user, "confirm_url": request.build_absolute_uri(path)},
        language=user.preferred_language,
    )


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("portal")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := ratelimit.stop(ratelimit.SIGNUP, request, form):
            return ratelimit.refuse(render(request, "accounts/signup.html", {"form": form}), wait)
        ratelimit.count(ratelimit.SIGNUP, request, form.cleaned_data["email"])
        registration.register(request, form, send_confirmation_email)
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup-sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "accounts/signup_sent.html", {"email": request.session.get("signup_email")})


@require_http_methods(["GET", "POST"])
def confirm_email(request, uidb64, token):
    """The emailed link opens a page whose button confirms: a mail scanner that follows links activates nothing."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "accounts/confirm_invalid.html", status=400)
    if request.method == "POST":
        user.confirm_email()
        messages.success(request, _("Your email address is confirmed. You can now log in."))
        return redirect("accounts:login")
    return render(request, "accounts/confirm_email.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.has_changed():
            audit_record(
                request.user,
                "profile changed",
                request.user,
                changes={name: [form.initial.get(name), form.cleaned_data[name]] for name in form.changed_data},
            )
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def household(request):
    # Shown empty until the first save: a GET writes nothing.
    household = Household.objects.filter(owner=request.user).first() or Household(owner=request.user)
    form = HouseholdForm(request.POST or None, instance=household)
    formset = HouseholdMemberFormSet(request.POST or None, instance=household, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
            if form.has_changed() or formset.has_changed():
                audit_record(request.user, "household changed", household)
        messages.success(request, _("Your household is saved."))
        return redirect("accounts:household")
    return render(request, "accounts/household.html", {"form": form, "formset": formset})


@login_required
@require_http_methods(["GET", "POST"])
def project(request):
    instance = InstallationProject.objects.filter(newcomer=request.user).first()
    form = InstallationProjectForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.newcomer = request.user
        project.save()
        if form.has_changed():
            audit_record(
                request.user,
                "installation project changed",
                project,
                changes={
                    name: [str(form.initial.get(name) or ""), str(form.cleaned_data[name] or "")]
                    for name in form.changed_data
                },
            )
        messages.success(request, _("Your installation project is saved."))
        return redirect("portal")
    return render(request, "accounts/project.html", {"form": form, "project": instance})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        audit_record(None, "account deleted at the person's request", reason=f"user #{user.pk}")
        user.delete()
        messages.success(request, _("Your account and the personal data attached to it have been deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
