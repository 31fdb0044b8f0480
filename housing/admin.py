from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from housing.forms import UnitPhotoForm
from housing.models import (
    Application,
    Criterion,
    CriterionCheck,
    EligibilityRule,
    ExplanationRequest,
    NotificationLetter,
    OccupancyAgreement,
    Proposal,
    ProposalCandidate,
    Score,
    ScoreLine,
    ScoringGrid,
    ScoringRun,
    StayCap,
    SupportingDocument,
    Unit,
    UnitPhoto,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History: visible, never edited from the back office."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitPhotoInline(admin.TabularInline):
    model = UnitPhoto
    form = UnitPhotoForm
    extra = 0
    fields = ["image", "thumbnail", "alt_text", "position"]
    readonly_fields = ["thumbnail"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "layout", "commune", "capacity", "accessible", "is_free", "rent", "is_active"]
    list_filter = ["programme", "layout", "accessible", "furnished", "workspace", "is_free", "is_active"]
    list_select_related = ["commune"]
    search_fields = ["name", "address", "commune__name", "commune__insee_code"]
    autocomplete_fields = ["commune"]
    inlines = [UnitPhotoInline]


@admin.register(StayCap)
class StayCapAdmin(admin.ModelAdmin):
    list_display = ["scheme", "profile", "max_months", "max_days"]
    list_filter = ["scheme", "profile"]
    search_fields = ["scheme", "profile"]


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(ScoringGrid)
class ScoringGridAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "council_reference", "council_date", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "council_reference"]
    readonly_fields = ["status", "published_at"]
    inlines = [EligibilityRuleInline, CriterionInline]
    actions = ["publish"]

    def get_inlines(self, request, obj):
        return [] if obj is not None and obj.is_locked else self.inlines

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description=_("Publish (put in force, archive the previous grid)"), permissions=["publish"])
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one grid to publish."), messages.ERROR)
            return
        queryset.get().publish()
        self.message_user(request, _("The grid is in force and published on the public page."))

    def has_publish_permission(self, request):
        return request.user.has_perm("housing.publish_scoringgrid")


class DocumentInline(admin.TabularInline):
    model = SupportingDocument
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CheckInline(admin.TabularInline):
    model = CriterionCheck
    extra = 0
    fields = ["key", "status", "note", "checked_by", "checked_at"]
    readonly_fields = ["checked_by", "checked_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "scheme", "outcome", "household_size", "submitted_at", "allocated_at"]
    list_filter = ["scheme", "status", "housing_situation", "accessibility_needed"]
    list_select_related = ["applicant"]
    search_fields = ["applicant__email", "applicant__last_name", "applicant__first_name"]
    raw_id_fields = ["applicant", "project", "household"]
    readonly_fields = ["outcome"]
    date_hierarchy = "submitted_at"
    inlines = [DocumentInline, CheckInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_outcome()

    @admin.display(description=_("where the application stands"))
    def outcome(self, obj):
        return obj.outcome().label

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, CriterionCheck):
                obj.checked_by, obj.checked_at = request.user, timezone.now()
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(SupportingDocument)
class SupportingDocumentAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "original_name", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    list_select_related = ["application__applicant"]
    search_fields = ["original_name", "application__applicant__email"]
    raw_id_fields = ["application"]
    # The private storage gives no URL: the document is opened through the view that checks permissions.
    exclude = ["file"]
    readonly_fields = ["document_link"]

    @admin.display(description=SupportingDocument._meta.get_field("file").verbose_name)
    def document_link(self, document):
        return format_html(
            '<a href="{}">{}</a>', reverse("housing:document", args=[document.pk]), document.original_name
        )


@admin.register(CriterionCheck)
class CriterionCheckAdmin(admin.ModelAdmin):
    list_display = ["application", "key", "status", "checked_by", "checked_at"]
    list_filter = ["key", "status"]
    list_select_related = ["application__applicant", "checked_by"]
    search_fields = ["application__applicant__email", "note"]
    raw_id_fields = ["application", "checked_by"]


class ScoreLineInline(admin.TabularInline):
    model = ScoreLine
    extra = 0
    fields = ["criterion", "value", "source", "checked_by", "points", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoringRun)
class ScoringRunAdmin(ReadOnlyAdmin):
    list_display = ["run_at", "grid", "run_by"]
    list_filter = ["grid"]
    list_select_related = ["grid", "run_by"]
    search_fields = ["grid__council_reference"]
    date_hierarchy = "run_at"


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["application", "run", "eligible", "total", "position", "out_of"]
    list_filter = ["eligible", "run__grid"]
    list_select_related = ["application__applicant", "run__grid"]
    search_fields = ["application__applicant__email", "ineligibility_reason"]
    inlines = [ScoreLineInline]

    def has_change_permission(self, request, obj=None):
        # Opening a score shows its lines; nothing can be saved (ScoreLine refuses updates).
        return request.user.has_perm("housing.view_score")


class ProposalCandidateInline(admin.TabularInline):
    model = ProposalCandidate
    extra = 0
    fields = ["application", "score", "proposed_rank"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["item", "unit", "available_from", "created_at"]
    list_select_related = ["item", "unit"]
    list_filter = ["unit__programme"]
    search_fields = ["unit__name", "item__title"]
    inlines = [ProposalCandidateInline]


@admin.register(NotificationLetter)
class NotificationLetterAdmin(ReadOnlyAdmin):
    list_display = ["application", "decision", "sent_at"]
    list_select_related = ["application__applicant", "decision"]
    search_fields = ["application__applicant__email"]
    date_hierarchy = "sent_at"
    # The private storage gives no URL: the letter is opened through the view that checks permissions.
    exclude = ["file"]
    readonly_fields = ["letter_link"]

    @admin.display(description=NotificationLetter._meta.get_field("file").verbose_name)
    def letter_link(self, letter):
        return format_html('<a href="{}">{}</a>', reverse("housing:letter", args=[letter.pk]), letter.file.name)


@admin.register(ExplanationRequest)
class ExplanationRequestAdmin(admin.ModelAdmin):
    """Read-only here: the written answer is drafted, reviewed and sent from the housing staff screen."""

    list_display = ["application", "requested_at", "answer_due_on", "answered_at", "answer_link"]
    list_filter = ["answered_at"]
    list_select_related = ["application__applicant"]
    search_fields = ["application__applicant__email"]
    raw_id_fields = ["application"]
    readonly_fields = ["application", "requested_at", "answered_at", "answered_by", "score", "answer", "answer_link"]

    @admin.display(description=_("answer due by"))
    def answer_due_on(self, obj):
        return obj.due_on

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("written answer"))
    def answer_link(self, explanation_request):
        label = _("See the answer") if explanation_request.answered_at else _("Write and send the answer")
        return format_html(
            '<a href="{}">{}</a>', reverse("housing:explanation-answer", args=[explanation_request.pk]), label
        )


@admin.register(OccupancyAgreement)
class OccupancyAgreementAdmin(admin.ModelAdmin):
    list_display = ["occupant", "unit", "legal_type", "start_date", "end_date", "stay_limit", "status"]
    fieldsets = [
        (None, {"fields": ["unit", "application", "occupant", "scheme", "profile", "legal_type", "status"]}),
        (_("Term"), {"fields": ["start_date", "end_date", "renews", "stay_limit", "occupant_is_student"]}),
        (_("Money"), {"fields": ["rent", "charges", "deposit", "monthly_stipend", "rent_covered_months"]}),
        (
            _("What the legal type requires"),
            {"fields": ["precarious_cause", "mobility_reason", "mobility_proof"]},
        ),
        (
            _("Inventories and exit"),
            {
                "fields": [
                    "checkin_on",
                    "checkin_inventory",
                    "checkout_on",
                    "checkout_inventory",
                    "exit_destination",
                    "end_alert_sent_at",
                    "created_by",
                    "created_at",
                ]
            },
        ),
    ]
    list_filter = ["status", "legal_type", "scheme", "profile", "exit_destination"]
    list_select_related = ["occupant", "unit"]
    search_fields = ["occupant__email", "occupant__last_name", "unit__name"]
    raw_id_fields = ["unit", "application", "occupant", "renews", "created_by"]
    readonly_fields = ["stay_limit", "end_alert_sent_at", "created_at"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        # The same lock-and-recheck as the staff screens, so the back office cannot double-book either.
        if change:
            with transaction.atomic():
                Unit.objects.select_for_update().get(pk=obj.unit_id)
                obj.check_free()
                obj.save()
        else:
            obj.created_by = request.user
            OccupancyAgreement.objects.allocate(obj)
