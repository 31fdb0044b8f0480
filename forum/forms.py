import ipaddress
import uuid

from django import forms
from django.core.validators import validate_email
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import uploads
from forum import booking
from forum.models import Attendee, Exhibitor, Mailing, Profile, Registration, Speaker, Workshop

MAX_GROUP = 10


def privacy_help():
    return format_html(
        '{} <a href="{}">{}</a>',
        _("Your data are used only to organise the forum and kept for a limited time."),
        reverse_lazy("privacy"),
        _("How we protect your personal data"),
    )


class WorkshopChoiceField(forms.MultipleChoiceField):
    """The edition's workshops as checkboxes; cleans to the Workshop objects chosen.

    The workshops are a list read once (the registration page caches it), so checking a choice costs no
    query. Each label ends with a badge of the seats left, from `seat_labels` ({workshop id: text}), which
    the view fills in before the form is shown.
    """

    widget = forms.CheckboxSelectMultiple

    def __init__(self, workshops, **kwargs):
        self.workshops = {str(workshop.pk): workshop for workshop in workshops}
        self.seat_labels = {}
        super().__init__(choices=self.labelled_choices, **kwargs)

    def labelled_choices(self):
        return [
            (
                pk,
                format_html(
                    '{} — {}, {} <span class="badge text-bg-light border" data-workshop-seats="{}">{}</span>',
                    workshop.title,
                    workshop.when(),
                    workshop.room,
                    workshop.pk,
                    self.seat_labels.get(workshop.pk, ""),
                ),
            )
            for pk, workshop in self.workshops.items()
        ]

    def valid_value(self, value):
        return str(value) in self.workshops

    def clean(self, value):
        return [self.workshops[pk] for pk in dict.fromkeys(super().clean(value))]


class WorkshopChoiceMixin:
    """The edition's workshops as checkboxes, each with its live remaining seats."""

    def add_workshop_field(self, edition, workshops=None):
        if workshops is None:
            workshops = Workshop.objects.filter(edition=edition).order_by("starts_at", "title")
        self.fields["workshops"] = WorkshopChoiceField(
            workshops,
            label=_("Workshops"),
            required=False,
            help_text=_(
                "Optional. Talks and round tables need no registration. Your whole group books the same seats."
            ),
        )
        self.fields["waitlist_if_full"] = forms.BooleanField(
            label=_("If a workshop I chose is full, put us on its waiting list"),
            required=False,
            initial=True,
            help_text=_("You will get an email with a time-limited offer when seats free up."),
        )

    def show_seats(self, labels):
        """Give each workshop its badge of seats left ({workshop id: text}) before the form is shown."""
        self.fields["workshops"].seat_labels = labels

    def clean_workshops(self):
        workshops = list(self.cleaned_data["workshops"])
        pair = booking.find_overlap(workshops)
        if pair:
            raise booking.overlap_error(pair)
        return workshops


def bootstrap_widgets(fields):
    """Give the widgets Bootstrap's classes, for the hand-written field template (forum/includes/_field.html)."""
    for field in fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"


def registration_field(name, **changes):
    """The form field a ModelForm would make of a Registration field, with changes."""
    return Registration._meta.get_field(name).formfield(**changes)


class RegistrationForm(WorkshopChoiceMixin, forms.Form):
    """What a visitor fills in to register. A plain form, not a ModelForm: booking.register() writes the rows."""

    first_name = registration_field("first_name", widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = registration_field("last_name", widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = registration_field("email", required=True, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    profile = forms.ChoiceField(label=_("You are"), choices=Profile.choices)
    origin = registration_field(
        "origin",
        required=True,
        label=_("Where do you come from? (commune, or country)"),
        help_text=_("For example: Lyon, Nantes, Belgique."),
    )
    accessibility_needs = registration_field("accessibility_needs", widget=forms.Textarea(attrs={"rows": 2}))
    thinking_of_moving = forms.BooleanField(
        label=_("I am thinking of moving to the territory and agree that the welcome team contacts me about it"),
        required=False,
        help_text=_("Optional. Your name and email are passed to the newcomer welcome service, nothing else."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my data and those of the people I register are used to organise the forum"),
        help_text=lazy(privacy_help, str)(),
        error_messages={"required": _("Tick this box to register: we need your agreement to keep your details.")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    # Honeypot: hidden from people (and from screen readers); robots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, edition, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.add_workshop_field(edition, workshops)
        bootstrap_widgets({name: self.fields[name] for name in ("workshops", "waitlist_if_full")})
        self.order_fields(["first_name", "last_name", "email", "profile", "origin", "accessibility_needs", "workshops"])
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_origin(self):
        return self.cleaned_data["origin"].strip()

    def is_spam(self):
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def booker(self):
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "origin": data["origin"],
            "accessibility_needs": data["accessibility_needs"].strip(),
            "thinking_of_moving": data["thinking_of_moving"],
        }


bootstrap_widgets(RegistrationForm.base_fields)
RegistrationForm.base_fields["website"].widget.attrs = {"tabindex": "-1", "autocomplete": "off"}


def attendee_field(name, **changes):
    """The form field a ModelForm would make of an Attendee field, with changes."""
    return Attendee._meta.get_field(name).formfield(**changes)


class AttendeeForm(forms.Form):
    """One more person of the group (a plain form: booking.register() writes the rows)."""

    first_name = attendee_field("first_name")
    last_name = attendee_field("last_name")
    profile = attendee_field("profile")
    email = attendee_field("email", help_text=_("Optional."))


bootstrap_widgets(AttendeeForm.base_fields)


class BaseAttendeeFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        people = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if len(people) + 1 > MAX_GROUP:
            raise forms.ValidationError(
                _("A group registers at most %(max)s people at once: make a second registration for the others."),
                code="too_many",
                params={"max": MAX_GROUP},
            )

    def people(self):
        return [
            {
                "first_name": f.cleaned_data["first_name"].strip(),
                "last_name": f.cleaned_data["last_name"].strip(),
                "profile": f.cleaned_data["profile"],
                "email": (f.cleaned_data.get("email") or "").strip().lower(),
            }
            for f in self.forms
            if f.has_changed() and f.cleaned_data
        ]


AttendeeFormSet = forms.formset_factory(
    AttendeeForm,
    formset=BaseAttendeeFormSet,
    extra=1,
    max_num=MAX_GROUP - 1,
    validate_max=True,
    absolute_max=MAX_GROUP - 1,
)


def attendee_formset(data=None):
    return AttendeeFormSet(data, prefix="people")


class ChangeWorkshopsForm(WorkshopChoiceMixin, forms.Form):
    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_workshop_field(edition)
        self.fields["waitlist_if_full"].initial = False


class ResendLinkForm(forms.Form):
    email = forms.EmailField(label=_("Email address used to register"))


class LiftBlockForm(forms.Form):
    value = forms.CharField(
        label=_("Email address or IP address"),
        max_length=254,
        help_text=_("The address a person says they cannot register or get their link with."),
    )

    def clean_value(self):
        value = self.cleaned_data["value"].strip()
        try:
            ipaddress.ip_address(value)
        except ValueError:
            validate_email(value)
        return value


class CheckInCodeForm(forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=40)

    def clean_code(self):
        # Accept what a scanner or a person types: spaces, dashes, lower case.
        return "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())


class WalkInForm(forms.ModelForm):
    profile = forms.ChoiceField(label=_("Profile"), choices=Profile.choices)
    consent = forms.BooleanField(
        label=_("The person agrees that their details are kept to organise the forum"),
        help_text=lazy(privacy_help, str)(),
    )

    class Meta:
        model = Registration
        fields = ["first_name", "last_name", "email", "origin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].label = _("Coming from (commune, or country)")
        self.fields["email"].help_text = _("Optional.")


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ["audience", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "audience": _("For a satisfaction survey, write only to the attendees who came."),
            "body": _("Plain text. Put the survey link in the message."),
        }


class ImageModelForm(forms.ModelForm):
    """Admin form that validates an uploaded image, re-encodes it without metadata and makes a thumbnail."""

    image_field = ""
    thumbnail_field = ""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get(self.image_field)
        if upload and hasattr(upload, "content_type"):
            try:
                self.processed = uploads.process_photo(upload, max_side=1600, thumbnail_size=(320, 320))
            except forms.ValidationError as error:
                self.add_error(self.image_field, error)
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=False)
        processed = getattr(self, "processed", None)
        if processed:
            image, thumbnail = processed
            getattr(instance, self.image_field).save(image.name, image, save=False)
            getattr(instance, self.thumbnail_field).save(thumbnail.name, thumbnail, save=False)
        if commit:
            instance.save()
            self.save_m2m()
        return instance


class SpeakerAdminForm(ImageModelForm):
    image_field, thumbnail_field = "photo", "photo_thumbnail"

    class Meta:
        model = Speaker
        fields = ["name", "organisation", "bio", "photo"]


class ExhibitorAdminForm(ImageModelForm):
    image_field, thumbnail_field = "logo", "logo_thumbnail"

    class Meta:
        model = Exhibitor
        fields = ["edition", "name", "description", "stand", "website", "logo"]


class ProgrammeItemAdminForm(forms.ModelForm):
    """Audiences as checkboxes stored in a JSON list."""

    audiences = forms.MultipleChoiceField(
        label=_("audiences"), choices=Profile.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
