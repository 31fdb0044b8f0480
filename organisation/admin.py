from django.contrib import admin
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from organisation.models import AccessibilityAudit, AccessibilityPlan, Organisation, Signatory


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    inlines = [SignatoryInline]
    fieldsets = [
        (
            None,
            {"fields": ["legal_name", "short_name", "siren", "postal_address", "town", "phone", "email", "website"]},
        ),
        (_("Visual identity"), {"fields": ["logo", "main_colour"]}),
        (
            _("Representation and publication"),
            {"fields": ["representative_name", "representative_quality", "publication_director"]},
        ),
        (_("Data protection officer"), {"fields": ["dpo_name", "dpo_email", "dpo_postal_address"]}),
        (_("Host"), {"fields": ["host_name", "host_address", "host_phone"]}),
        (_("Appeals"), {"fields": ["tribunal_name", "tribunal_address", "telerecours_url"]}),
        (
            _("Training body"),
            {
                "fields": [
                    "training_nda",
                    "training_siret",
                    "qualiopi_certificate",
                    "qualiopi_certifier",
                    "disability_referent",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessibilityAudit)
class AccessibilityAuditAdmin(admin.ModelAdmin):
    list_display = ["audited_on", "auditor", "rate", "statement_date"]
    list_filter = ["audited_on"]
    search_fields = ["auditor", "pages"]
    date_hierarchy = "audited_on"

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        cache.delete(Organisation.CACHE_KEY)  # the footer's compliance state


@admin.register(AccessibilityPlan)
class AccessibilityPlanAdmin(admin.ModelAdmin):
    list_display = ["kind", "first_year", "last_year", "adopted_on"]
    list_filter = ["kind"]
    search_fields = ["content"]
