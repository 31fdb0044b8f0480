from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organisation.models import Organisation, Signatory


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
            "Représentation et publication",
            {"fields": ["representative_name", "representative_quality", "publication_director"]},
        ),
        (_("Data protection officer"), {"fields": ["dpo_name", "dpo_email", "dpo_postal_address"]}),
        (_("Host"), {"fields": ["host_name", "host_address", "host_phone"]}),
        (_("Appeals"), {"fields": ["tribunal_name", "tribunal_address", "telerecours_url"]}),
        (
            "Organisme de formation",
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
