import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import HouseholdMember, InstallationProject
from core import dates, money
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.storage import serve_private_file
from impact import crossapp, exports, figures
from impact.forms import LocalSpendingForm, PeriodForm
from impact.models import Expense, LocalSpending

DASHBOARD = "impact.view_dashboard"
INSTALLED_STAGES = (
    InstallationProject.Stage.INSTALLED,
    InstallationProject.Stage.FOLLOWED_UP,
    InstallationProject.Stage.CLOSED,
)


def _chart(data):
    return {
        "years": [row["year"] for row in data["by_year"]],
        "entrepreneurs": [row["entrepreneurs"] for row in data["by_year"]],
        "people": [row["people"] for row in data["by_year"]],
        "cost": [float(row["cost"]) for row in data["by_year"]],
        "reinjected": [float(row["reinjected"]) for row in data["by_year"]],
        "labels": {
            "entrepreneurs": _("Entrepreneurs installed"),
            "people": _("People installed"),
            "cost": _("Public cost (€)"),
            "reinjected": _("Money reinjected locally (€)"),
        },
    }


def _figures_html(period, query):
    """The figures, tables and chart data of a period, rendered once and kept as long as the figures are."""
    key = f"impact-dashboard:{get_language()}:{period.start.isoformat()}:{period.end.isoformat()}"
    html = cache.get(key)
    if html is None:
        data = figures.cached(period)
        context = {"f": data, "period": period, "chart": _chart(data), "query": query}
        html = render_to_string("impact/includes/_dashboard_figures.html", context)
        cache.set(key, html, figures.CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


@login_required
@permission_required(DASHBOARD, raise_exception=True)
def dashboard(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    query = f"start={period.start.isoformat()}&end={period.end.isoformat()}"
    return render(
        request,
        "impact/dashboard.html",
        {"form": form, "period": period, "query": query, "figures_html": _figures_html(period, query)},
    )


@login_required
@permission_required(DASHBOARD, raise_exception=True)
def export(request, fmt):
    period = PeriodForm(request.GET or None).period()
    data = figures.cached(period)
    name = f"impact-{period.start.isoformat()}-{period.end.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(data), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(exports.as_xlsx(data), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


def _business_row(b):
    return [
        b.name,
        b.project.newcomer,
        b.project.arrival.arrival_date if hasattr(b.project, "arrival") else "",
        b.siret_display or _("registration pending"),
        b.get_origin_display(),
        b.jobs,
        b.ceased_on or "",
    ]


BUSINESS_COLUMNS = [
    gettext_lazy("Business"),
    gettext_lazy("Newcomer"),
    gettext_lazy("Arrival"),
    gettext_lazy("SIRET"),
    gettext_lazy("Created or moved"),
    gettext_lazy("Jobs"),
    gettext_lazy("Ceased on"),
]


def _businesses(queryset):
    return queryset.select_related("project__newcomer", "project__arrival").order_by("name")


RECORDS = {
    "entrepreneurs": (
        gettext_lazy("Entrepreneurs installed"),
        BUSINESS_COLUMNS,
        lambda p: _businesses(figures.entrepreneurs(p)),
        _business_row,
    ),
    "jobs": (
        gettext_lazy("Businesses still active at the end of the period"),
        BUSINESS_COLUMNS,
        lambda p: _businesses(figures.active_businesses(p)),
        _business_row,
    ),
    "survival": (
        gettext_lazy("Businesses created at least one year before the end of the period"),
        BUSINESS_COLUMNS,
        lambda p: _businesses(figures.survival_cohort(p)),
        _business_row,
    ),
    "households": (
        gettext_lazy("Households installed"),
        [
            gettext_lazy("Newcomer"),
            gettext_lazy("Arrival"),
            gettext_lazy("Commune"),
            gettext_lazy("People"),
            gettext_lazy("Children in a local school"),
        ],
        lambda p: (
            figures.arrivals(p)
            .select_related("project__newcomer", "commune")
            .annotate(
                members=Count("project__newcomer__household__members", distinct=True),
                pupils=Count(
                    "project__newcomer__household__members",
                    filter=Q(
                        project__newcomer__household__members__role=HouseholdMember.Role.CHILD,
                        project__newcomer__household__members__schooling=HouseholdMember.Schooling.ENROLLED,
                    ),
                    distinct=True,
                ),
            )
            .order_by("arrival_date")
        ),
        lambda a: [a.project.newcomer, a.arrival_date, a.commune.name, 1 + a.members, a.pupils],
    ),
    "children": (
        gettext_lazy("Children in a local school"),
        [gettext_lazy("Child"), gettext_lazy("Household of"), gettext_lazy("School")],
        lambda p: figures.children_in_school(p).select_related("household__owner").order_by("household__owner"),
        lambda m: [m.first_name, m.household.owner, m.school_name],
    ),
    "public_cost": (
        gettext_lazy("Expenses"),
        [
            gettext_lazy("Invoice date"),
            gettext_lazy("Label"),
            gettext_lazy("Supplier"),
            gettext_lazy("Funding line"),
            gettext_lazy("Amount"),
        ],
        lambda p: figures.expenses(p).select_related("funding_line").order_by("invoice_date"),
        lambda e: [e.invoice_date, e.label, e.supplier, e.funding_line, money.euros(e.amount)],
    ),
    "reinjected": (
        gettext_lazy("Local spending declared"),
        [
            gettext_lazy("Household of"),
            gettext_lazy("Category"),
            gettext_lazy("Period"),
            gettext_lazy("Amount"),
        ],
        lambda p: figures.local_spending(p).select_related("project__newcomer").order_by("period_end"),
        lambda s: [
            s.project.newcomer,
            s.get_category_display(),
            f"{s.period_start:%d/%m/%Y} – {s.period_end:%d/%m/%Y}",
            money.euros(s.amount),
        ],
    ),
    "coworking": (
        gettext_lazy("Coworking bookings counted in the occupancy"),
        [
            gettext_lazy("Start"),
            gettext_lazy("Space"),
            gettext_lazy("Person"),
            gettext_lazy("Seats"),
            gettext_lazy("Hours"),
        ],
        lambda p: crossapp.coworking_bookings(p).select_related("space", "member").order_by("start", "pk"),
        lambda b: [
            dates.format_date(b.start, "SHORT_DATETIME_FORMAT"),
            b.space.name,
            b.member or b.guest_name,
            b.seats,
            formats.number_format(Decimal((b.end - b.start).total_seconds()) / 3600, 1),
        ],
    ),
    "housing": (
        gettext_lazy("Occupancy agreements counted in the occupancy"),
        [gettext_lazy("Unit"), gettext_lazy("Occupant"), gettext_lazy("From"), gettext_lazy("To")],
        lambda p: crossapp.housing_agreements(p).select_related("unit", "occupant").order_by("start_date", "pk"),
        lambda a: [a.unit, a.occupant, a.start_date, a.end_date],
    ),
    "training": (
        gettext_lazy("Half-days attended"),
        [gettext_lazy("Date"), gettext_lazy("Session"), gettext_lazy("Trainee")],
        lambda p: (
            crossapp.training_attendances(p)
            .select_related("slot__session", "enrolment__trainee")
            .order_by("slot__date", "slot__start", "pk")
        ),
        lambda a: [a.slot.date, a.slot.session.title, a.enrolment.trainee],
    ),
    "forum": (
        gettext_lazy("Enquiries from the forum"),
        [gettext_lazy("Person"), gettext_lazy("Received"), gettext_lazy("Status")],
        lambda p: figures.forum_enquiries(p).order_by("created_at"),
        lambda e: [f"{e.first_name} {e.last_name}", e.created_at.date(), e.get_status_display()],
    ),
}


@login_required
@permission_required(DASHBOARD, raise_exception=True)
def records(request, figure):
    if figure not in RECORDS:
        raise Http404
    title, columns, queryset, row = RECORDS[figure]
    period = PeriodForm(request.GET or None).period()
    page = Paginator(queryset(period), 100).get_page(request.GET.get("page"))
    context = {
        "title": title,
        "columns": columns,
        "rows": [
            [dates.format_date(cell) if isinstance(cell, datetime.date) else cell for cell in row(obj)] for obj in page
        ],
        "page": page,
        "period": period,
        "query": f"start={period.start.isoformat()}&end={period.end.isoformat()}",
    }
    return render(request, "impact/records.html", context)


@login_required
@permission_required("impact.view_expense", raise_exception=True)
def invoice(request, pk):
    expense = get_object_or_404(Expense.objects.exclude(invoice=""), pk=pk)
    return serve_private_file(expense.invoice, filename=expense.invoice.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def declare_spending(request):
    project = get_object_or_404(
        InstallationProject, newcomer=request.user, stage__in=INSTALLED_STAGES, arrival__isnull=False
    )
    form = LocalSpendingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        spending = form.save(commit=False)
        spending.project = project
        spending.save()
        messages.success(request, _("Thank you: your local spending is recorded."))
        return redirect("impact:declare-spending")
    declared = LocalSpending.objects.filter(project=project)
    return render(request, "impact/declare_spending.html", {"form": form, "declared": declared})
