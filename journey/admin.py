from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from journey.models import Arrival, Business, CheckIn, Closure, Document, Enquiry, Offer, StageChange, Step


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["first_name", "last_name", "email", "source", "status", "created_at", "project"]
    list_filter = ["source", "status", "created_at"]
    search_fields = ["first_name", "last_name", "email", "phone", "origin"]
    list_select_related = ["project__newcomer"]
    raw_id_fields = ["project"]
    date_hierarchy = "created_at"


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage", "from_stage", "changed_at"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name", "note"]
    list_select_related = ["project__newcomer", "changed_by"]
    raw_id_fields = ["project", "changed_by"]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["project", "key", "done_on", "done_by"]
    list_filter = ["key"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name"]
    list_select_related = ["project__newcomer", "done_by"]
    raw_id_fields = ["project", "done_by"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "original_name", "status", "uploaded_at", "reviewed_by"]
    list_filter = ["status", "kind"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name", "original_name"]
    list_select_related = ["project__newcomer", "reviewed_by"]
    raw_id_fields = ["project", "reviewed_by"]
    # The private storage gives no URL: the file is opened through the view that checks permissions.
    exclude = ["file"]
    readonly_fields = ["file_link", "content_type", "uploaded_at"]

    def has_add_permission(self, request):
        # A document is the newcomer's upload (its type checked and its name set by journey:upload); the back
        # office, which shows no file field, reviews it and cannot make one.
        return False

    @admin.display(description=Document._meta.get_field("file").verbose_name)
    def file_link(self, document):
        return format_html('<a href="{}">{}</a>', reverse("journey:document-file", args=[document.pk]), document)


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["project", "residence", "bridge_housing", "coworking_pass", "training", "made_on", "accepted_on"]
    list_filter = ["residence", "bridge_housing", "coworking_pass", "training"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name"]
    list_select_related = ["project__newcomer"]
    raw_id_fields = ["project"]


@admin.register(Arrival)
class ArrivalAdmin(admin.ModelAdmin):
    list_display = ["project", "arrival_date", "commune", "housing"]
    list_filter = ["housing", "commune", "arrival_date", "project__kind"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name"]
    list_select_related = ["project__newcomer", "commune"]
    raw_id_fields = ["project"]
    date_hierarchy = "arrival_date"


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "legal_form", "naf_code", "origin", "creation_date", "jobs", "ceased_on"]
    list_filter = ["origin", "legal_form", "registration_pending", "creation_date", "ceased_on"]
    search_fields = ["name", "siret", "siren", "naf_code", "project__newcomer__email", "project__newcomer__last_name"]
    list_select_related = ["project__newcomer"]
    raw_id_fields = ["project"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["project", "months", "due_on", "done_on", "business_active", "jobs", "still_in_territory"]
    list_filter = ["months", "business_active", "still_in_territory", "due_on"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name", "difficulties"]
    list_select_related = ["project__newcomer"]
    raw_id_fields = ["project", "recorded_by"]
    actions = ["clear_reminders"]

    @admin.action(description=_("Send the reminder again at the next run"))
    def clear_reminders(self, request, queryset):
        queryset.update(reminded_at=None)


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["project", "outcome", "closed_on"]
    list_filter = ["outcome", "closed_on"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name", "reason"]
    list_select_related = ["project__newcomer"]
    raw_id_fields = ["project"]
