from django.contrib import admin

from committees.models import (
    AgendaItem,
    Attendance,
    Committee,
    ConflictOfInterest,
    Decision,
    Meeting,
    Membership,
    Reschedule,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "committee", "role", "is_active"]
    list_filter = ["committee", "role", "is_active"]
    list_select_related = ["committee"]
    search_fields = ["name", "organisation", "user__email"]
    raw_id_fields = ["user"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["membership"]


class RescheduleInline(admin.TabularInline):
    model = Reschedule
    extra = 0
    fields = ["previous_starts_at", "starts_at", "reason", "changed_by", "changed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "starts_at", "place", "status"]
    list_filter = ["status", "committee"]
    list_select_related = ["committee"]
    search_fields = ["committee__name", "place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "opened_at", "closed_at", "closed_by"]
    inlines = [AttendanceInline, AgendaItemInline, RescheduleInline]

    def get_readonly_fields(self, request, obj=None):
        # A meeting is moved through the staff screen's rescheduling, which keeps the change and its reason.
        return [*self.readonly_fields, "starts_at"] if obj else self.readonly_fields


@admin.register(Reschedule)
class RescheduleAdmin(admin.ModelAdmin):
    list_display = ["meeting", "previous_starts_at", "starts_at", "reason", "changed_by", "changed_at"]
    list_filter = ["meeting__committee"]
    list_select_related = ["meeting__committee", "changed_by"]
    search_fields = ["reason", "meeting__committee__name"]
    raw_id_fields = ["meeting", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "position"]
    list_filter = ["meeting__committee"]
    list_select_related = ["meeting__committee"]
    search_fields = ["title"]
    raw_id_fields = ["meeting"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["membership", "item", "reason", "declared_at"]
    list_select_related = ["membership", "item"]
    list_filter = ["item__meeting__committee"]
    search_fields = ["membership__name", "reason", "item__title"]
    raw_id_fields = ["item", "membership"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are recorded in meeting screens and kept as history."""

    list_display = ["item", "subject_type", "subject_id", "outcome", "rank", "departs_from_proposal", "recorded_at"]
    list_filter = ["outcome", "departs_from_proposal", "item__meeting__committee"]
    list_select_related = ["item", "subject_type"]
    search_fields = ["item__title", "reason", "justification"]
    raw_id_fields = ["item", "superseded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
