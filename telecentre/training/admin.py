from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import uploads
from telecentre.training import documents, services
from telecentre.training.models import (
    Attendance,
    AttendanceChange,
    Certificate,
    Complaint,
    DistanceActivity,
    Enrolment,
    Funder,
    InternalRules,
    Programme,
    ProgrammeVersion,
    Question,
    Questionnaire,
    Session,
    Slot,
    SurveyResponse,
    TrainerProfile,
    TrainingContract,
    TrainingExpense,
)


@admin.display(description=_("session"), ordering="session__programme_version__title")
def session_title(obj):
    return f"{obj.session.programme_version.title} (#{obj.session_id})"


class ProgrammeVersionInline(admin.StackedInline):
    model = ProgrammeVersion
    extra = 0
    show_change_link = True
    fields = ["number", "title", "duration_hours", "price", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["slug", "__str__", "selective", "grants_coworking_exemption", "published"]
    list_filter = ["selective", "published", "grants_coworking_exemption"]
    search_fields = ["slug", "versions__title"]
    inlines = [ProgrammeVersionInline]
    actions = ["new_version"]

    def get_queryset(self, request):
        versions = ProgrammeVersion.objects.order_by("-number")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("versions", queryset=versions, to_attr="prefetched_versions"))
        )

    @admin.action(description=_("Start a new version from the current one"))
    def new_version(self, request, queryset):
        for programme in queryset:
            programme.new_version()
        self.message_user(request, _("New versions created: edit them before scheduling sessions."))


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "number", "duration_hours", "price", "nature", "created_at"]
    list_filter = ["nature", "methods", "programme"]
    search_fields = ["title", "programme__slug", "cpf_code"]
    list_select_related = ["programme"]
    raw_id_fields = ["programme"]

    def get_readonly_fields(self, request, obj=None):
        # A version a session uses is frozen: its title and content are on signed documents.
        if obj is not None and obj.is_frozen:
            return [field.name for field in obj._meta.concrete_fields]
        return ["created_at"]


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    fields = ["date", "period", "start", "end", "module", "booking", "trainer_signed_by", "trainer_signed_at"]
    readonly_fields = ["booking", "trainer_signed_by", "trainer_signed_at"]
    show_change_link = True
    can_delete = False  # deleting here would leave the room booked: services.remove_slot cancels it

    def has_add_permission(self, request, obj=None):
        # Half-days are added from the session screen, which reserves the room for each.
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "place", "capacity", "minimum", "enrolment_deadline", "status"]
    list_filter = ["status", "programme_version__programme"]
    search_fields = ["programme_version__title", "place"]
    list_select_related = ["programme_version"]
    raw_id_fields = ["programme_version", "commune"]
    autocomplete_fields = ["trainers"]
    readonly_fields = ["status", "cancellation_reason", "cancelled_at", "completed_at"]
    inlines = [SlotInline]
    actions = ["cancel_below_minimum"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_dates()

    @admin.action(description=_("Cancel the selected sessions whose minimum is not reached"))
    def cancel_below_minimum(self, request, queryset):
        count = 0
        for session in queryset.scheduled().with_enrolled_count():
            if session.enrolled_count < session.minimum:
                services.cancel_session(session, reason=str(_("Not enough trainees.")), by=request.user)
                count += 1
        self.message_user(request, ngettext("%d session cancelled.", "%d sessions cancelled.", count) % count)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = [session_title, "date", "period", "module", "trainer_signed_at"]
    list_filter = ["period", "date"]
    search_fields = ["session__programme_version__title", "module"]
    list_select_related = ["session__programme_version"]
    raw_id_fields = ["session", "booking", "trainer_signed_by"]
    # Signatures are private files with no URL: the admin only says whether there is one.
    exclude = ["trainer_signature"]
    readonly_fields = ["booking", "signed_by_trainer", "trainer_signed_by", "trainer_signed_at"]

    @admin.display(boolean=True, description=Slot._meta.get_field("trainer_signature").verbose_name)
    def signed_by_trainer(self, slot):
        return bool(slot.trainer_signature)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = [
        "trainee",
        session_title,
        "status",
        "funding",
        "file_number",
        "attended_hours",
    ]
    list_filter = ["status", "funding", "outcome", "session__programme_version__programme"]
    search_fields = ["trainee__email", "trainee__last_name", "file_number", "session__programme_version__title"]
    list_select_related = ["trainee", "session__programme_version"]
    raw_id_fields = ["session", "trainee", "decided_by", "funder"]
    readonly_fields = [
        "status",
        "decided_by",
        "decided_at",
        "convocation_sent_at",
        "completed_at",
        "cancelled_at",
        "attended_hours",
        "unsigned_hours",
        "distance_hours",
    ]
    actions = ["cancel_enrolments"]

    @admin.action(description=_("Cancel the selected enrolments (seats go to the waiting list)"))
    def cancel_enrolments(self, request, queryset):
        for enrolment in queryset.active():
            try:
                services.cancel_enrolment(enrolment, by=request.user, staff=True)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "slot", "status", "signed_at", "signed_via", "absence_reason"]
    list_filter = ["status", "signed_via", "absence_reason"]
    search_fields = ["enrolment__trainee__email", "enrolment__trainee__last_name"]
    list_select_related = ["enrolment__trainee", "enrolment__session__programme_version", "slot"]
    raw_id_fields = ["slot", "enrolment", "recorded_by"]
    exclude = ["signature", "evidence"]
    readonly_fields = ["signed", "unsigned_reason", "has_evidence"]

    @admin.display(boolean=True, description=Attendance._meta.get_field("evidence").verbose_name)
    def has_evidence(self, attendance):
        return bool(attendance.evidence)

    def has_change_permission(self, request, obj=None):
        # Corrections go through the sheet screen, which logs them.
        return False

    @admin.display(boolean=True, description=Attendance._meta.get_field("signature").verbose_name)
    def signed(self, attendance):
        return bool(attendance.signature)


@admin.register(AttendanceChange)
class AttendanceChangeAdmin(admin.ModelAdmin):
    list_display = ["slot", "enrolment", "changed_by", "changed_at", "reason"]
    search_fields = ["enrolment__trainee__email", "reason"]
    list_filter = ["changed_at"]
    list_select_related = ["slot", "enrolment__trainee", "changed_by", "enrolment__session__programme_version"]
    raw_id_fields = ["slot", "enrolment", "changed_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "enrolment", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["number", "enrolment__trainee__email", "enrolment__trainee__last_name"]
    list_select_related = ["enrolment__trainee", "enrolment__session__programme_version"]
    raw_id_fields = ["enrolment"]
    exclude = ["data"]
    readonly_fields = ["number", "kind", "enrolment", "issued_at", "document"]

    def has_add_permission(self, request):
        # Certificates are issued from the attendance by the training service, never typed in.
        return False

    def has_change_permission(self, request, obj=None):
        # An issued certificate is a signed document: it is read, downloaded or sent again, never edited.
        return False

    @admin.display(description=_("document"))
    def document(self, certificate):
        return format_html(
            '<div class="training-certificate">{}</div><p><a href="{}">{}</a></p>',
            documents.certificate_html(certificate),
            reverse("training:staff-certificate-pdf", args=[certificate.pk]),
            _("Download the PDF"),
        )


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "delay_days", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["title"]
    inlines = [QuestionInline]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "respondent_name", "session", "sent_at", "reminders_sent", "answered_at"]
    list_filter = ["questionnaire", "answered_at"]
    search_fields = ["respondent_email", "respondent_name", "enrolment__trainee__email"]
    list_select_related = ["questionnaire", "session__programme_version"]
    raw_id_fields = ["enrolment", "session"]
    readonly_fields = ["answers", "satisfaction", "answered_at", "reminders_sent", "last_reminded_at"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["received_at", "subject", "complainant_name", "channel", "status", "closed_at"]
    list_filter = ["status", "channel", "programme"]
    search_fields = ["subject", "complainant_name", "complainant_email", "description"]
    list_select_related = ["programme"]
    raw_id_fields = ["session", "complainant", "handled_by"]
    date_hierarchy = "received_at"


@admin.register(TrainerProfile)
class TrainerProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__last_name", "titles"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_name", "contact_email"]
    search_fields = ["name", "contact_name", "contact_email", "siret"]
    list_filter = ["enrolments__funding"]


class DistanceActivityForm(forms.ModelForm):
    class Meta:
        model = DistanceActivity
        fields = ["enrolment", "module", "completed_on", "hours", "evidence_kind", "evidence", "notes"]
        # On a change page the evidence is excluded (its link is read-only), the form must not require it.

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if isinstance(evidence, UploadedFile):
            return uploads.check_document(evidence)
        return evidence


@admin.register(DistanceActivity)
class DistanceActivityAdmin(admin.ModelAdmin):
    form = DistanceActivityForm
    list_display = ["enrolment", "module", "completed_on", "hours", "evidence_kind", "recorded_by"]
    list_filter = ["evidence_kind", "completed_on"]
    search_fields = ["module", "enrolment__trainee__email", "enrolment__trainee__last_name"]
    list_select_related = ["enrolment__trainee", "enrolment__session__programme_version", "recorded_by"]
    raw_id_fields = ["enrolment"]

    def get_exclude(self, request, obj=None):
        # The private storage gives no URL: once stored, the evidence opens through the view that checks access.
        return ["evidence"] if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        return ["evidence_link", "recorded_by", "recorded_at"] if obj is not None else []

    @admin.display(description=_("evidence"))
    def evidence_link(self, activity):
        return format_html(
            '<a href="{}">{}</a>', reverse("training:evidence", args=["distance", activity.pk]), _("Open the evidence")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TrainingExpense)
class TrainingExpenseAdmin(admin.ModelAdmin):
    list_display = ["date", "label", "kind", "amount", "session"]
    list_filter = ["kind", "date"]
    search_fields = ["label"]
    list_select_related = ["session__programme_version"]
    raw_id_fields = ["session"]
    date_hierarchy = "date"


@admin.register(InternalRules)
class InternalRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "effective_from", "created_at"]
    search_fields = ["text"]
    list_filter = ["effective_from"]

    def get_readonly_fields(self, request, obj=None):
        # A version a contract was signed with stays as it was: write a new version instead.
        if obj is not None and obj.contracts.exists():
            return ["version", "effective_from", "text"]
        return []


@admin.register(TrainingContract)
class TrainingContractAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "enrolment", "issued_at", "signed_at", "withdrawal_deadline", "sent_at"]
    list_filter = ["kind", "signed_at", "sent_at"]
    search_fields = ["number", "enrolment__trainee__email", "enrolment__trainee__last_name", "sent_to"]
    list_select_related = ["enrolment__trainee", "enrolment__session__programme_version"]
    raw_id_fields = ["enrolment", "internal_rules"]
    exclude = ["terms", "signature"]
    readonly_fields = [
        "number",
        "kind",
        "enrolment",
        "issued_at",
        "price",
        "internal_rules",
        "document_hash",
        "signed_at",
        "signer_ip",
        "signer_user_agent",
        "withdrawal_deadline",
        "countersigned_at",
        "countersigned_by_name",
        "countersigned_by_quality",
        "withdrawn_at",
        "sent_at",
        "sent_to",
        "document",
    ]

    def has_change_permission(self, request, obj=None):
        # Issued terms are a signed document: read, downloaded, never edited.
        return False

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("document"))
    def document(self, contract):
        return format_html(
            '<div class="training-contract">{}</div><p><a href="{}">{}</a></p>',
            documents.contract_html(contract),
            reverse("training:staff-contract-pdf", args=[contract.enrolment_id]),
            _("Download the PDF"),
        )
