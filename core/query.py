"""Numbers and dates read from a query string (?year=, ?month=, ?date=, ?edition=...).

Every view reads them through these helpers: a missing or empty value gives the default; a value
that is not one (non-ASCII digits such as "²" or "٣", "2026-13-45", "99999999999999999999-1") or one
beyond the limits is refused with a 400 whose message says what is accepted, never a 500 from `int()`
or `datetime.date()` further down.
"""

import datetime
import re

from django.core.exceptions import BadRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# Python's int() and str.isdigit() take any Unicode digit; a query string takes ASCII digits only.
INTEGER = re.compile(r"-?[0-9]{1,18}")
MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
# The years a page may show: from the first data any app keeps to a few years ahead (forum editions,
# trainings and spaces are planned at most that far).
FIRST_YEAR = 2000
YEARS_AHEAD = 5


class BadQuery(BadRequest):
    """A query parameter the page cannot read; the message (translated) says what it accepts."""


def _raw(query, name):
    value = query.get(name)
    return value.strip() if isinstance(value, str) else ""


def integer(query, name, default=None, *, minimum=0, maximum=2**31 - 1):
    """A whole number from minimum to maximum (a database id fits the default range)."""
    value = _raw(query, name)
    if not value:
        return default
    if INTEGER.fullmatch(value) and minimum <= int(value) <= maximum:
        return int(value)
    raise BadQuery(
        _("“%(name)s” must be a whole number from %(minimum)s to %(maximum)s.")
        % {"name": name, "minimum": minimum, "maximum": maximum}
    )


def last_year():
    return timezone.localdate().year + YEARS_AHEAD


def year(query, name="year", default=None):
    """A year from FIRST_YEAR to a few years from now."""
    value = _raw(query, name)
    if not value:
        return default
    first, last = FIRST_YEAR, last_year()
    if INTEGER.fullmatch(value) and first <= int(value) <= last:
        return int(value)
    raise BadQuery(_("Choose a year from %(first)s to %(last)s.") % {"first": first, "last": last})


def month(query, name="month", default=None):
    """The first day of a month written YYYY-MM, in the years year() accepts."""
    value = _raw(query, name)
    if not value:
        return default
    first, last = FIRST_YEAR, last_year()
    found = MONTH.fullmatch(value)
    if found and first <= int(found[1]) <= last and 1 <= int(found[2]) <= 12:
        return datetime.date(int(found[1]), int(found[2]), 1)
    raise BadQuery(
        _("Choose a month written year-month (e.g. %(example)s), from %(first)s to %(last)s.")
        % {"example": f"{timezone.localdate():%Y-%m}", "first": first, "last": last}
    )


def days_allowed():
    """The first and last day a page may show (the years year() accepts)."""
    return datetime.date(FIRST_YEAR, 1, 1), datetime.date(last_year(), 12, 31)


def days_allowed_message():
    first, last = days_allowed()
    return _("Choose a day from %(first)s to %(last)s.") % {
        "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
        "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
    }


def date(query, name="date", default=None):
    """A day written YYYY-MM-DD, in days_allowed()."""
    value = _raw(query, name)
    if not value:
        return default
    first, last = days_allowed()
    try:
        day = datetime.date.fromisoformat(value) if value.isascii() and len(value) == 10 else None
    except ValueError:
        day = None
    if day is not None and first <= day <= last:
        return day
    raise BadQuery(days_allowed_message())


def text(query, name, default="", *, max_length=200):
    """A search text, stripped; NUL characters (which PostgreSQL cannot take) and over-long values are refused."""
    value = _raw(query, name)
    if not value:
        return default
    if "\x00" in value or len(value) > max_length:
        raise BadQuery(
            _("“%(name)s” must be a text of at most %(length)s characters.") % {"name": name, "length": max_length}
        )
    return value
