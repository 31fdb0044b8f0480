from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Commune, Household, HouseholdMember, InstallationProject, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "is_superuser", "groups", "preferred_language"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    readonly_fields = ["last_login", "date_joined", "email_confirmed_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["first_name", "last_name", "phone", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "email_confirmed_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        )
    ]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "postal_code", "in_territory"]
    list_filter = ["in_territory"]
    search_fields = ["name", "insee_code", "postal_code"]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["owner", "origin", "updated_at"]
    search_fields = ["owner__email", "owner__last_name", "origin", "members__first_name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [HouseholdMemberInline]


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(admin.ModelAdmin):
    list_display = ["first_name", "role", "birth_year", "schooling", "household"]
    list_filter = ["role", "schooling"]
    search_fields = ["first_name", "household__owner__email", "household__owner__last_name"]
    list_select_related = ["household__owner"]
    raw_id_fields = ["household"]


@admin.register(InstallationProject)
class InstallationProjectAdmin(admin.ModelAdmin):
    list_display = ["newcomer", "kind", "stage", "target_commune", "referent", "desired_arrival", "updated_at"]
    list_filter = ["stage", "kind", "referent", "target_commune"]
    search_fields = ["newcomer__email", "newcomer__last_name", "newcomer__first_name", "sector", "description"]
    list_select_related = ["newcomer", "referent", "target_commune"]
    raw_id_fields = ["newcomer"]
    autocomplete_fields = ["target_commune"]
    date_hierarchy = "created_at"
