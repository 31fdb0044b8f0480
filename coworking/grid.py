"""The occupancy grid's table, rendered in Python.

The grid shows hundreds of bookings; a template loop with two forms, two `{% url %}` and a CSRF token
per booking made it the slowest staff page. Here each booking is a few escaped strings, the action URLs
are built once, and the check-in and cancel buttons belong to the page's one form (`form=` and
`formaction=`), so the table holds no CSRF token and can be cached (telecentre/freshness.py).
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import money
from coworking.models import Booking

# The id of the page's form that the buttons of the table submit (staff/grid.html).
ACTIONS_FORM = "grid-actions"

_PK = 2147483647  # stands for a booking's pk in a URL built once


def _url_pattern(name):
    """The URL of a staff action with a "{}" where the booking's pk goes."""
    return reverse(name, args=[_PK]).replace(str(_PK), "{}")


def _booking_html(booking, who, *, actions, urls, labels):
    """One booking of a cell: who (escaped), the hours of an hourly booking, its state or its buttons."""
    status = booking.status
    released = status == Booking.Status.RELEASED
    parts = ['<span class="cw-booking cw-released">' if released else '<span class="cw-booking">', who]
    if booking.period == Booking.Period.HOURS:
        start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
        parts.append(f" ({start:%H:%M}–{end:%H:%M})")
    if booking.billing == Booking.Billing.TARIFF:
        parts.append(f' <span class="small">{money.euros(booking.price)}</span>')
    elif booking.billing in labels:
        parts.append(f' <span class="small">{labels[booking.billing]}</span>')
    if status == Booking.Status.CHECKED_IN:
        parts.append(f' <span class="badge text-bg-success">{labels["here"]}</span>')
    elif released:
        parts.append(f' <span class="badge text-bg-secondary">{labels["no_show"]}</span>')
    elif actions and status == Booking.Status.CONFIRMED:
        hidden = f'<span class="visually-hidden"> {who}</span>'
        buttons = ((urls[0], "cw-act", labels["check_in"]), (urls[1], "cw-act cw-cancel", labels["cancel"]))
        for url, css, label in buttons:
            parts.append(
                f' <button form="{ACTIONS_FORM}" formaction="{url.format(booking.pk)}" class="{css}">'
                f"{label}{hidden}</button>"
            )
    parts.append("</span>")
    return "".join(parts)


def table_html(days, rows, *, week, actions):
    """The grid's table for rows of (space, cells) from reports.occupancy_grid (bookings as GridBooking).

    actions: show the check-in and cancel buttons of confirmed bookings (day view, manage_bookings).
    """
    labels = {
        "here": escape(_("here")),
        "no_show": escape(_("no-show")),
        "check_in": escape(_("Check in")),
        "cancel": escape(_("Cancel")),
        "closed": escape(_("Closed")),
        Booking.Billing.EXEMPT: escape(_("free")),
        Booking.Billing.PASS: escape(_("pass")),
    }
    urls = (_url_pattern("coworking:staff-check-in"), _url_pattern("coworking:staff-cancel")) if actions else ()
    title = escape(_("Bookings per space and half-day"))
    half_days = f'<th scope="col">{escape(_("Morning"))}</th><th scope="col">{escape(_("Afternoon"))}</th>'
    out = [
        f'<div class="table-responsive" tabindex="0" role="region" aria-label="{title}">',
        '<table class="table table-bordered cw-grid">',
        f'<caption class="visually-hidden">{title}</caption><thead>',
    ]
    if week:
        out.append("<tr><td></td>")
        out.extend(f'<th scope="colgroup" colspan="2">{escape(formats.date_format(day, "D j/m"))}</th>' for day in days)
        out.append("</tr>")
    out.append(f'<tr><th scope="col">{escape(_("Space"))}</th>{half_days * len(days)}</tr></thead><tbody>')
    for space, cells in rows:
        zone = space.is_zone
        out.append(f'<tr><th scope="row">{escape(space.name)}')
        if zone:
            seats = ngettext("%(counter)s seat", "%(counter)s seats", space.capacity) % {"counter": space.capacity}
            out.append(f'<br><span class="small">{escape(seats)}</span>')
        out.append("</th>")
        for cell in cells:
            if not cell.open:
                out.append(f'<td class="cw-closed">{labels["closed"]}</td>')
                continue
            taken = cell.seats
            full = taken >= space.capacity if zone else taken > 0
            out.append('<td class="cw-full">' if full else "<td>")
            if zone:
                out.append(f'<span class="small">{taken}/{space.capacity}</span>')
            for booking in cell.bookings:
                out.append(_booking_html(booking, escape(booking.who), actions=actions, urls=urls, labels=labels))
            out.append("</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
