"""Staff screens: occupancy grid, booking on behalf and walk-ins, check-in, QR codes, statistics, invoicing."""

import datetime
import hashlib

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import NAMES_VERSION
from core import query as parameters
from core import versions
from core.spreadsheets import CSV_CONTENT_TYPE, csv_text
from coworking import grid as grid_html
from coworking import reports, services
from coworking.forms import StaffBookingForm, apply_errors
from coworking.models import CLOSURES_VERSION, SPACE_VERSION_PREFIX, Booking, Space
from coworking.views import say_booked

GRID_SPACES_PER_PAGE = 20


# The grid is cached under the versions of the spaces (their bookings and hours), of the closures (renewed by
# their writes, coworking/models.py) and of people's names (accounts/models.py). All it shows has a version:
# the time-to-live only lets go of what nobody asks for any more.
GRID_TIMEOUT = 600


@login_required
@permission_required("coworking.view_booking", raise_exception=True)
def grid(request):
    """Who is where, per space and half-day.

    The table is cached (core/versions.py) until a booking, a space, a closure or a name changes, per query string
    and per permission to manage bookings. The one form its buttons submit carries the CSRF token and stays
    outside the cached part.
    """
    can_manage = request.user.has_perm("coworking.manage_bookings")
    query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()[:32]
    version = versions.current(CLOSURES_VERSION, NAMES_VERSION, prefix=SPACE_VERSION_PREFIX)
    content = versions.cached(
        "coworking-grid",
        lambda: _grid_content(request.GET, can_manage),
        vary=(version, timezone.localdate().isoformat(), can_manage, query),
        timeout=GRID_TIMEOUT,
    )
    actions = _shows_actions(request.GET, can_manage)
    return render(
        request,
        "coworking/staff/grid.html",
        {
            "content": mark_safe(content),  # noqa: S308 - rendered by _grid_content's template, escaped there
            "actions_form": grid_html.ACTIONS_FORM if actions else "",
        },
    )


def _shows_actions(query, can_manage):
    """The day view shows the check-in and cancel buttons to those who manage bookings (not the week's)."""
    return can_manage and query.get("view") != "week"


def _grid_content(query, can_manage):
    """The grid's heading, filters, table and pages for this query string (no CSRF token: it is cached)."""
    today = timezone.localdate()
    day = parameters.date(query, "date", today)
    week = query.get("view") == "week"
    days = reports.week_of(day)[:6] if week else [day]
    kind = query.get("kind") if query.get("kind") in Space.Kind.values else ""
    spaces = Space.objects.active().prefetch_related("opening_hours")
    if kind:
        spaces = spaces.filter(kind=kind)
    page = Paginator(spaces, GRID_SPACES_PER_PAGE).get_page(query.get("page"))
    rows = reports.occupancy_grid(days, page.object_list)
    return render_to_string(
        "coworking/staff/_grid.html",
        {
            "query": query,
            "table": grid_html.table_html(days, rows, week=week, actions=_shows_actions(query, can_manage)),
            "can_manage": can_manage,
            "days": days,
            "day": day,
            "week": week,
            "kind": kind,
            "kinds": Space.Kind.choices,
            "page": page,
            "previous": day - datetime.timedelta(days=7 if week else 1),
            "next": day + datetime.timedelta(days=7 if week else 1),
            "today": today,
        },
    )


@login_required
@permission_required("coworking.manage_bookings", raise_exception=True)
def staff_book(request):
    initial = {}
    if slug := parameters.text(request.GET, "space"):
        initial["space"] = Space.objects.filter(slug=slug).first()
    form = StaffBookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = data["member_email"]
        try:
            booking = services.book(
                data["space"],
                form.start,
                form.end,
                member=member,
                guest_name=data["guest_name"],
                booked_by=request.user,
                seats=data["seats"],
                purpose=data["purpose"],
                pass_used=form.member_pass(member, data["date"]),
                idempotency_key=data["idempotency_key"],
                staff=True,
                check_in=data["walk_in"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            say_booked(request, booking, _("Booked for %(who)s.") % {"who": booking.who})
            return redirect(f"{reverse('coworking:grid')}?date={booking.local_date.isoformat()}")
    return render(request, "coworking/staff/book.html", {"form": form})


@login_required
@permission_required("coworking.manage_bookings", raise_exception=True)
@require_POST
def staff_check_in(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    if booking.status == Booking.Status.CONFIRMED:
        booking.check_in()
        messages.success(request, _("%(who)s is checked in.") % {"who": booking.who})
    return redirect(f"{reverse('coworking:grid')}?date={booking.local_date.isoformat()}")


@login_required
@permission_required("coworking.manage_bookings", raise_exception=True)
@require_POST
def staff_cancel(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    try:
        services.cancel(booking, by=request.user, staff=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Booking cancelled."))
    return redirect(f"{reverse('coworking:grid')}?date={booking.local_date.isoformat()}")


def check_in_url(space):
    return settings.SITE_URL + reverse("coworking:check-in", args=[space.checkin_token])


def qr_svg(space):
    return segno.make(check_in_url(space), error="m").svg_inline(scale=4, dark="#000", light="#fff")


@login_required
@permission_required("coworking.manage_bookings", raise_exception=True)
def qr_codes(request):
    spaces = Space.objects.active()
    codes = [(space, mark_safe(qr_svg(space)), check_in_url(space)) for space in spaces]  # noqa: S308 - segno's SVG
    return render(request, "coworking/staff/qr_codes.html", {"codes": codes})


@login_required
@permission_required("coworking.manage_bookings", raise_exception=True)
def qr_code_svg(request, slug):
    space = get_object_or_404(Space, slug=slug)
    response = HttpResponse(content_type="image/svg+xml")
    segno.make(check_in_url(space), error="m").save(response, kind="svg", scale=8, title=str(space))
    response["Content-Disposition"] = f'inline; filename="qr-{space.slug}.svg"'
    return response


@login_required
@permission_required("coworking.view_statistics", raise_exception=True)
def statistics(request):
    year = parameters.year(request.GET, "year", timezone.localdate().year)
    months = [formats.date_format(datetime.date(year, m, 1), "F") for m in range(1, 13)]
    return render(
        request,
        "coworking/staff/statistics.html",
        {"year": year, "table": reports.monthly_statistics(year), "months": months},
    )


@login_required
@permission_required("coworking.view_statistics", raise_exception=True)
def invoicing(request):
    month = parameters.month(request.GET, "month", timezone.localdate().replace(day=1))
    lines = reports.invoice_lines(month.year, month.month)
    if request.GET.get("format") == "csv":
        return _invoice_csv(month, lines)
    return render(
        request,
        "coworking/staff/invoicing.html",
        {"month": month, "lines": lines, "total": sum((line.amount for line in lines), start=0)},
    )


def _invoice_csv(month, lines):
    """A French CSV file (core.spreadsheets): opens as is in French spreadsheets."""
    header = [
        _("Month"),
        _("Name"),
        _("Email"),
        _("Date"),
        _("Item"),
        _("Quantity"),
        _("Unit price (EUR)"),
        _("Amount (EUR)"),
        _("Council decision"),
    ]
    rows = [
        [
            f"{month:%Y-%m}",
            line.name,
            line.email,
            line.date.strftime("%d/%m/%Y"),
            line.label,
            line.quantity,
            line.unit_price,
            line.amount,
            line.decision,
        ]
        for line in lines
    ]
    response = HttpResponse(csv_text([header, *rows]), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="coworking-a-facturer-{month:%Y-%m}.csv"'
    return response
