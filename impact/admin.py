from django.contrib import admin
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from impact.forms import ExpenseForm
from impact.models import Expense, FundingLine, LocalSpending, Target


class ExpenseInline(admin.TabularInline):
    model = Expense
    form = ExpenseForm
    extra = 0
    fields = ["invoice_date", "label", "supplier", "category", "amount", "paid_on", "invoice"]


@admin.register(FundingLine)
class FundingLineAdmin(admin.ModelAdmin):
    list_display = ["programme", "funder", "convention_reference", "amount", "spent", "start_date", "end_date"]
    list_filter = ["funder", "start_date"]
    search_fields = ["programme", "convention_reference", "notes"]
    inlines = [ExpenseInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(spent_total=Sum("expenses__amount"))

    @admin.display(description=_("spent (€)"), ordering="spent_total")
    def spent(self, obj):
        return obj.spent_total or 0


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    form = ExpenseForm
    list_display = ["invoice_date", "label", "supplier", "category", "amount", "funding_line", "paid_on"]
    list_filter = ["category", "funding_line__funder", "invoice_date", "paid_on"]
    search_fields = ["label", "supplier", "invoice_number", "funding_line__programme"]
    list_select_related = ["funding_line"]
    raw_id_fields = ["funding_line"]
    date_hierarchy = "invoice_date"
    readonly_fields = ["invoice_link"]

    @admin.display(description=Expense._meta.get_field("invoice").verbose_name)
    def invoice_link(self, expense):
        if not expense.invoice:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("impact:invoice", args=[expense.pk]), expense.invoice.name)


@admin.register(LocalSpending)
class LocalSpendingAdmin(admin.ModelAdmin):
    list_display = ["project", "category", "amount", "period_start", "period_end", "supplier"]
    list_filter = ["category", "period_end"]
    search_fields = ["project__newcomer__email", "project__newcomer__last_name", "supplier"]
    list_select_related = ["project__newcomer"]
    raw_id_fields = ["project"]
    date_hierarchy = "period_end"


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "low_goal", "high_goal", "start_date", "deadline"]
    search_fields = ["name"]
    list_filter = ["deadline"]
