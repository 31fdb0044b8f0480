from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waitlist import services
from waitlist.models import WaitingListEntry


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(admin.ModelAdmin):
    list_display = ["person", "target_type", "target_id", "slot_start", "quantity", "status", "created_at"]
    list_filter = ["status", "target_type"]
    search_fields = ["email", "name", "user__email", "user__last_name"]
    list_select_related = ["user", "target_type"]
    raw_id_fields = ["user"]

    @admin.display(description=_("person"))
    def person(self, obj):
        return obj.display_name

    readonly_fields = ["token", "offered_at", "offer_expires_at", "resolved_at"]
    date_hierarchy = "created_at"
    actions = ["withdraw_entries"]

    @admin.action(description=_("Remove the selected people from the waiting list"))
    def withdraw_entries(self, request, queryset):
        entries = list(queryset.active())
        for entry in entries:
            services.withdraw(entry)
        count = len(entries)
        self.message_user(
            request,
            ngettext("%(count)d entry withdrawn.", "%(count)d entries withdrawn.", count) % {"count": count},
            messages.SUCCESS,
        )
