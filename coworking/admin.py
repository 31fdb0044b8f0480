import datetime

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import versions
from coworking import services
from coworking.forms import SpaceAdminForm
from coworking.models import (
    Booking,
    CalendarFeed,
    Closure,
    Exemption,
    OpeningHours,
    Pass,
    RecurringBooking,
    Space,
    Tariff,
    TariffDecision,
    space_version,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    form = SpaceAdminForm
    list_display = ["name", "kind", "capacity", "audience", "hourly", "check_in_required", "is_active", "position"]
    list_filter = ["kind", "audience", "is_active", "hourly"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description", "equipment"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["thumbnail"]
    inlines = [OpeningHoursInline]
    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        cleaned = getattr(form, "cleaned_photo", None)
        if cleaned:
            photo, thumbnail = cleaned
            obj.photo.save(photo.name, photo, save=False)
            obj.thumbnail.save(thumbnail.name, thumbnail, save=False)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Close the selected spaces to new bookings"))
    def deactivate(self, request, queryset):
        spaces = list(queryset.values_list("pk", flat=True))
        count = queryset.update(is_active=False)
        versions.renew(*map(space_version, spaces))
        self.message_user(
            request, ngettext("%(count)d space closed.", "%(count)d spaces closed.", count) % {"count": count}
        )


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "space", "start_date", "end_date"]
    list_filter = ["space"]
    list_select_related = ["space"]
    search_fields = ["reason"]
    date_hierarchy = "start_date"


class TariffInline(admin.TabularInline):
    model = Tariff
    extra = 0


@admin.register(TariffDecision)
class TariffDecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "decided_on", "valid_from", "valid_until"]
    search_fields = ["reference", "notes"]
    inlines = [TariffInline]


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["unit", "label", "newcomer_price", "public_price", "decision"]
    list_filter = ["unit", "decision"]
    list_select_related = ["decision"]
    search_fields = ["label", "decision__reference"]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["member", "reason", "starts_on", "ends_on", "granted_by"]
    list_select_related = ["member", "granted_by"]
    search_fields = ["member__email", "member__last_name", "reason"]
    raw_id_fields = ["member", "granted_by"]
    date_hierarchy = "starts_on"
    actions = ["end_today"]

    # Through the one exemption service: the person's bookings not yet sent to the régie are re-priced.
    def save_model(self, request, obj, form, change):
        services.save_exemption(obj, by=request.user)

    def delete_model(self, request, obj):
        services.end_exemption(obj, obj.starts_on - datetime.timedelta(days=1), by=request.user)

    def delete_queryset(self, request, queryset):
        for exemption in queryset.select_related("member"):
            self.delete_model(request, exemption)

    @admin.action(description=_("End the selected exemptions today (later bookings are re-priced)"))
    def end_today(self, request, queryset):
        today = timezone.localdate()
        count = 0
        for exemption in queryset.filter(ends_on__gt=today).select_related("member"):
            services.end_exemption(exemption, today, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d exemption ended.", "%(count)d exemptions ended.", count) % {"count": count},
        )


@admin.register(Pass)
class PassAdmin(admin.ModelAdmin):
    list_display = ["label", "holder", "kind", "valid_from", "valid_until", "allowance", "unit", "price"]
    list_filter = ["kind", "unit"]
    list_select_related = ["holder"]
    search_fields = ["label", "holder__email", "holder__last_name"]
    raw_id_fields = ["holder", "tariff", "sold_by"]
    date_hierarchy = "valid_from"

    def save_model(self, request, obj, form, change):
        if not change and obj.sold_by_id is None:
            obj.sold_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RecurringBooking)
class RecurringBookingAdmin(admin.ModelAdmin):
    list_display = ["member", "space", "period", "weekdays", "starts_on", "ends_on"]
    list_select_related = ["member", "space"]
    list_filter = ["space", "period"]
    search_fields = ["member__email", "member__last_name"]
    raw_id_fields = ["member", "booked_by"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read and cancel here; new bookings go through the staff booking screen, which checks every rule."""

    list_display = ["space", "person", "start", "end", "period", "status", "billing", "price", "invoiced_at"]
    list_filter = ["status", "billing", "tariff_category", "period", "space"]
    list_select_related = ["space", "member"]
    search_fields = ["member__email", "member__last_name", "guest_name", "purpose"]
    raw_id_fields = ["member", "booked_by", "cancelled_by", "series", "pass_used", "tariff"]

    @admin.display(description=_("person"))
    def person(self, obj):
        return obj.who

    date_hierarchy = "start"
    actions = ["cancel_bookings"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Booking._meta.fields if f.name not in ("purpose", "guest_name")]

    @admin.action(description=_("Cancel the selected bookings (the places go to the waiting list)"))
    def cancel_bookings(self, request, queryset):
        count = 0
        for booking in queryset.active():
            try:
                services.cancel(booking, by=request.user, staff=True)
                count += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        self.message_user(
            request, ngettext("%(count)d booking cancelled.", "%(count)d bookings cancelled.", count) % {"count": count}
        )


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["member"]
    list_select_related = ["member"]
    search_fields = ["member__email"]
    raw_id_fields = ["member"]
    readonly_fields = ["token"]
