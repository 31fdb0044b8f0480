from django.contrib import admin

from operations.models import Heartbeat, JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "slot", "outcome", "started_at", "finished_at", "host"]
    list_filter = ["outcome", "job"]
    search_fields = ["job", "host", "output"]
    date_hierarchy = "slot"
    list_select_related = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at", "host"]
    search_fields = ["name", "host"]
    list_filter = ["name"]
    list_select_related = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
