from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models import AccessibilityReport, DataRequest


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "received_at", "due_on", "status", "handled_by"]
    list_filter = ["status", "kind"]
    search_fields = ["email", "message", "answer"]
    list_select_related = ["handled_by", "user"]
    raw_id_fields = ["user", "handled_by"]
    date_hierarchy = "received_at"
    actions = ["mark_answered"]

    @admin.action(description=_("Mark as answered"))
    def mark_answered(self, request, queryset):
        queryset.update(status=DataRequest.Status.DONE, closed_at=timezone.now(), handled_by=request.user)


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["received_at", "email", "page_url", "status"]
    list_filter = ["status"]
    search_fields = ["email", "name", "page_url", "description"]
    date_hierarchy = "received_at"
