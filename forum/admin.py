from django.contrib import admin, messages
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import booking, leads, tickets
from forum.forms import ExhibitorAdminForm, ProgrammeItemAdminForm, SpeakerAdminForm
from forum.models import Attendee, Edition, Exhibitor, Mailing, Registration, Seat, Speaker, Talk, Workshop


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["year", "theme", "start_date", "venue", "capacity", "registration_closes_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["theme", "venue"]
    date_hierarchy = "start_date"
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Create next year's edition with the same programme (draft)"))
    def copy_to_next_year(self, request, queryset):
        for edition in queryset:
            try:
                with transaction.atomic():
                    copy = edition.copy_for_year(edition.year + 1)
            except IntegrityError:
                self.message_user(
                    request,
                    _("An edition already exists for %(year)s.") % {"year": edition.year + 1},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("Edition %(year)s created as a draft: check its dates, then publish it.") % {"year": copy.year},
                    messages.SUCCESS,
                )


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    form = SpeakerAdminForm
    list_display = ["name", "organisation"]
    search_fields = ["name", "organisation"]


class ProgrammeItemAdmin(admin.ModelAdmin):
    form = ProgrammeItemAdminForm
    list_filter = ["edition"]
    search_fields = ["title", "room", "speakers__name"]
    list_select_related = ["edition"]
    autocomplete_fields = ["speakers"]


@admin.register(Talk)
class TalkAdmin(ProgrammeItemAdmin):
    list_display = ["title", "kind", "edition", "starts_at", "ends_at", "room", "capacity"]
    list_filter = ["edition", "kind"]
    fields = [
        "edition",
        "kind",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "room",
        "capacity",
        "audiences",
        "speakers",
    ]


@admin.register(Workshop)
class WorkshopAdmin(ProgrammeItemAdmin):
    list_display = ["title", "edition", "starts_at", "ends_at", "room", "capacity", "booked"]
    fields = ["edition", "title", "description", "starts_at", "ends_at", "room", "capacity", "audiences", "speakers"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(booked_seats=Count("seats"))

    @admin.display(description=_("seats booked"), ordering="booked_seats")
    def booked(self, workshop):
        return workshop.booked_seats


@admin.register(Exhibitor)
class ExhibitorAdmin(admin.ModelAdmin):
    form = ExhibitorAdminForm
    list_display = ["name", "stand", "edition", "website"]
    list_filter = ["edition"]
    search_fields = ["name", "stand"]
    list_select_related = ["edition"]


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    fields = ["first_name", "last_name", "email", "profile", "is_booker", "code", "checked_in_at"]
    readonly_fields = ["code"]


class RecountsEditions:
    """Registrations and attendees changed or deleted in the admin keep their editions' attendee totals right."""

    edition_lookup = "edition_id"  # from the admin's model to its edition's id

    def edition_of(self, obj):
        for name in self.edition_lookup.split("__"):
            obj = getattr(obj, name)
        return obj

    def delete_queryset(self, request, queryset):
        editions = list(queryset.values_list(self.edition_lookup, flat=True).distinct())
        super().delete_queryset(request, queryset)
        booking.recount_editions(editions)

    def delete_model(self, request, obj):
        edition = self.edition_of(obj)
        super().delete_model(request, obj)
        booking.recount_editions([edition])


@admin.register(Registration)
class RegistrationAdmin(RecountsEditions, admin.ModelAdmin):
    list_display = ["__str__", "email", "edition", "status", "source", "origin", "moving", "created_at"]
    list_filter = ["edition", "status", "source", ("moving_consent_at", admin.EmptyFieldListFilter)]
    search_fields = ["first_name", "last_name", "email", "attendees__last_name", "attendees__code"]
    list_select_related = ["edition"]
    raw_id_fields = ["user", "origin_commune"]
    readonly_fields = ["token", "idempotency_key", "created_at", "consent_at", "enquiry_sent_at", "anonymised_at"]
    inlines = [AttendeeInline]
    actions = ["send_to_journey", "resend_tickets"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        booking.recount_editions([self.edition_of(form.instance)])

    @admin.display(description=_("thinking of moving"), boolean=True)
    def moving(self, registration):
        return registration.moving_consent_at is not None

    @admin.action(description=_("Send the would-be newcomers to the journey"), permissions=["change"])
    def send_to_journey(self, request, queryset):
        if not leads.journey_available():
            self.message_user(request, _("The newcomer journey is not available yet."), messages.ERROR)
            return
        count = sum(1 for registration in queryset.would_be_newcomers() if leads.pass_on(registration))
        self.message_user(
            request, ngettext("%(count)s enquiry created.", "%(count)s enquiries created.", count) % {"count": count}
        )

    @admin.action(description=_("Send the tickets again"), permissions=["change"])
    def resend_tickets(self, request, queryset):
        with transaction.atomic():
            for registration in queryset.confirmed().exclude(email=""):
                tickets.queue_ticket(registration)
        self.message_user(request, _("Tickets sent again."))


@admin.register(Attendee)
class AttendeeAdmin(RecountsEditions, admin.ModelAdmin):
    list_display = ["__str__", "profile", "code", "registration", "checked_in_at"]
    list_filter = ["registration__edition", "profile", ("checked_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["first_name", "last_name", "code", "registration__email"]
    list_select_related = ["registration__edition"]
    raw_id_fields = ["registration", "checked_in_by"]
    edition_lookup = "registration__edition_id"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        booking.recount_editions([self.edition_of(obj)])


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["attendee", "workshop", "created_at", "checked_in_at"]
    list_filter = ["workshop__edition", "workshop"]
    search_fields = ["attendee__first_name", "attendee__last_name", "workshop__title"]
    list_select_related = ["attendee", "workshop"]
    raw_id_fields = ["attendee", "workshop", "registration"]


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["subject", "edition", "audience", "recipient_count", "sent_at", "sent_by"]
    list_filter = ["edition", "audience"]
    search_fields = ["subject", "body"]
    list_select_related = ["edition", "sent_by"]
    raw_id_fields = ["sent_by"]
    readonly_fields = ["recipient_count", "sent_at"]
