from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from telecentre.training import services
from telecentre.training.models import (
    Attendance,
    AttendanceChange,
    Certificate,
    Complaint,
    Enrolment,
    Programme,
    ProgrammeVersion,
    Question,
    Questionnaire,
    Session,
    Slot,
    SurveyResponse,
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
        "contract_signed_at",
        "attended_hours",
    ]
    list_filter = ["status", "funding", "outcome", "session__programme_version__programme"]
    search_fields = ["trainee__email", "trainee__last_name", "file_number", "session__programme_version__title"]
    list_select_related = ["trainee", "session__programme_version"]
    raw_id_fields = ["session", "trainee", "decided_by"]
    readonly_fields = ["status", "decided_by", "decided_at", "withdrawal_deadline", "completed_at", "cancelled_at"]
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
    exclude = ["signature"]
    readonly_fields = ["signed"]

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
    readonly_fields = ["data"]


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
    list_display = ["questionnaire", "enrolment", "sent_at", "answered_at", "satisfaction"]
    list_filter = ["questionnaire", "answered_at"]
    search_fields = ["enrolment__trainee__email"]
    list_select_related = ["questionnaire", "enrolment__trainee", "enrolment__session__programme_version"]
    raw_id_fields = ["enrolment"]
    readonly_fields = ["answers", "satisfaction", "answered_at"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["received_at", "subject", "complainant_name", "channel", "status", "closed_at"]
    list_filter = ["status", "channel", "programme"]
    search_fields = ["subject", "complainant_name", "complainant_email", "description"]
    list_select_related = ["programme"]
    raw_id_fields = ["session", "complainant", "handled_by"]
    date_hierarchy = "received_at"
