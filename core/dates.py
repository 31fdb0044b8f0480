"""Dates as letters and minutes write them: "1er décembre 2026", "12 décembre 2026, 14:30" in French."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language


def _french_first(text, day):
    if day == 1 and (get_language() or "").startswith("fr") and text.startswith("1 "):
        return "1er " + text[2:]
    return text


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value):
    """The day in words in the active language; French writes the first of the month "1er"."""
    if not value:
        return ""
    value = _local(value)
    return _french_first(formats.date_format(value, "DATE_FORMAT"), value.day)


def long_datetime(value):
    if not value:
        return ""
    value = _local(value)
    return _french_first(formats.date_format(value, "DATETIME_FORMAT"), value.day)
