"""Booking forms.

They only read and shape what the person typed (a date and a half-day, or hours);
every rule is checked by `coworking.services.book()` under the space lock, and
its errors come back next to these fields. So most are plain Forms: the
booking's start and end are computed, not typed.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import uploads
from coworking import calendar, services
from coworking.models import Booking, OpeningHours, Pass, Space
from telecentre.widgets import LeanSelect

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def apply_errors(form, error):
    """Put a ValidationError from the booking path next to the form's fields (others on top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def error_codes(form):
    return {e.code for errors in form.errors.as_data().values() for e in errors}


class MemberSpaceField(forms.ModelChoiceField):
    """A space members book themselves, read whole (services.space_rules) and kept for the booking."""

    widget = LeanSelect  # a territory may have hundreds of spaces

    def __init__(self, **kwargs):
        # The list shows names only (a chosen space is read below, whole).
        super().__init__(queryset=Space.objects.for_members().only("pk", "name"), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            rules = services.space_rules(int(value))
        except (TypeError, ValueError):
            rules = None
        if rules is None or not rules.space.is_for_members:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return rules.space


class SlotForm(forms.Form):
    """A date and a half-day, full day or (rooms) start and end times."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    period = forms.ChoiceField(
        label=_("When"), choices=Booking.Period.choices, initial=Booking.Period.MORNING, widget=forms.RadioSelect
    )
    start_time = forms.TimeField(
        label=_("From"), required=False, widget=TIME_WIDGET, help_text=_("Only for bookings by the hour.")
    )
    end_time = forms.TimeField(
        label=_("To"), required=False, widget=TIME_WIDGET, help_text=_("Only for bookings by the hour.")
    )

    def clean(self):
        cleaned = super().clean()
        day, period = cleaned.get("date"), cleaned.get("period")
        if day is None or not period:
            return cleaned
        if period == Booking.Period.HOURS:
            for field in ("start_time", "end_time"):
                if cleaned.get(field) is None and field not in self.errors:
                    self.add_error(field, ValidationError(_("Give the time (e.g. 14:00)."), code="required"))
            if self.errors:
                return cleaned
            self.start = calendar.local(day, cleaned["start_time"])
            self.end = calendar.local(day, cleaned["end_time"])
        else:
            self.start, self.end = calendar.half_day_bounds(day, period)
        return cleaned


class BookingForm(SlotForm):
    field_order = ["space", "date", "period", "start_time", "end_time", "pass_used"]

    space = MemberSpaceField(label=_("Space"), empty_label=None)
    pass_used = forms.ModelChoiceField(
        label=_("Pay with"),
        queryset=Pass.objects.none(),
        required=False,
        empty_label=_("The tariff (invoiced by the régie), or free if you are exempted"),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pass_used"].queryset = Pass.objects.filter(
            holder=member, valid_until__gte=timezone.localdate()
        ).order_by("valid_until")
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class StaffBookingForm(SlotForm):
    """Staff book for a member (by email) or a visitor without an account, e.g. a walk-in."""

    field_order = ["space", "member_email", "guest_name", "date", "period", "start_time", "end_time", "seats"]

    space = forms.ModelChoiceField(
        label=_("Space"), queryset=Space.objects.active(), empty_label=None, widget=LeanSelect
    )
    member_email = forms.EmailField(
        label=_("Member's email address"), required=False, help_text=_("Leave empty for a visitor without an account.")
    )
    guest_name = forms.CharField(label=_("Visitor's name"), max_length=150, required=False)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=50, initial=1)
    use_pass = forms.BooleanField(label=_("Take it from the member's pass if they have one"), required=False)
    walk_in = forms.BooleanField(label=_("Walk-in: the person is here, check them in now"), required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault("date", timezone.localdate())

    def clean_member_email(self):
        email = self.cleaned_data["member_email"].strip().lower()
        if not email:
            return None
        member = User.objects.filter(email__iexact=email, is_active=True).first()
        if member is None:
            raise ValidationError(
                _("No account uses this address: check it, or leave it empty and give the visitor's name."),
                code="unknown_member",
            )
        return member

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("member_email") and not cleaned.get("guest_name") and "member_email" not in self.errors:
            self.add_error(
                "member_email", ValidationError(_("Give a member's email or a visitor's name."), code="nobody")
            )
        return cleaned

    def member_pass(self, member, day):
        if not (member and self.cleaned_data.get("use_pass")):
            return None
        return Pass.objects.filter(holder=member).valid_on(day).order_by("valid_until").first()


class ChangeBookingForm(SlotForm):
    pass


class RecurringBookingForm(forms.Form):
    space = MemberSpaceField(label=_("Space"), empty_label=None)
    period = forms.ChoiceField(
        label=_("Half-day"),
        choices=[c for c in Booking.Period.choices if c[0] != Booking.Period.HOURS],
        widget=forms.RadioSelect,
        initial=Booking.Period.MORNING,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Every week on"),
        choices=OpeningHours.Weekday.choices[:6],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Until"), widget=DATE_WIDGET)
    pass_used = forms.ModelChoiceField(
        label=_("Pay with"),
        queryset=Pass.objects.none(),
        required=False,
        empty_label=_("The tariff (invoiced by the régie), or free if you are exempted"),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pass_used"].queryset = Pass.objects.filter(holder=member, valid_until__gte=timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        if first and last and last < first:
            self.add_error(
                "ends_on", ValidationError(_("The last day cannot be before the first day."), code="reversed")
            )
        if first and first < timezone.localdate():
            self.add_error("starts_on", ValidationError(_("Start today or later."), code="past"))
        return cleaned


class DateRangeForm(forms.Form):
    first = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    last = forms.DateField(label=_("Until"), widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("last") and cleaned["last"] < cleaned["first"]:
            raise ValidationError(
                {"last": ValidationError(_("The last day cannot be before the first day."), code="reversed")}
            )
        return cleaned


class WaitlistJoinForm(forms.Form):
    # Staff-only spaces have no public waiting list, like they have no public booking.
    space = forms.ModelChoiceField(queryset=Space.objects.for_members(), widget=forms.HiddenInput)
    start = forms.DateTimeField(widget=forms.HiddenInput)
    end = forms.DateTimeField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            raise ValidationError(_("The end must be after the start."), code="reversed")
        return cleaned


class SpaceAdminForm(forms.ModelForm):
    """The admin's space form: photos are checked, stripped of metadata and thumbnailed."""

    class Meta:
        model = Space
        fields = [
            "name",
            "slug",
            "kind",
            "capacity",
            "description",
            "equipment",
            "step_free_access",
            "accessibility",
            "photo",
            "audience",
            "hourly",
            "max_days_ahead",
            "min_notice_minutes",
            "min_minutes",
            "max_minutes",
            "slot_minutes",
            "buffer_minutes",
            "max_upcoming_per_person",
            "cancellation_notice_hours",
            "check_in_required",
            "check_in_grace_minutes",
            "is_active",
            "position",
        ]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            name = self.cleaned_data.get("slug") or "space"
            self.cleaned_photo = uploads.process_photo(photo, name=name, format="WEBP")
        return photo
