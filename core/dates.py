"""Dates as letters and minutes write them: "1er décembre 2026", "12 décembre 2026, 14:30" in French."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language

MONTH_NAMES = "FEMNb"  # date format characters that write the month (in words or abbreviated)


def _with_first(format_string):
    """The format with the French "er" after a day-of-month `j` that a month name follows ("1er avril"); other
    characters, escaped ones included, unchanged ("j/n/Y" stays "1/4/2026")."""
    out, index = [], 0
    while index < len(format_string):
        char = format_string[index]
        if char == "\\":
            out.append(format_string[index : index + 2])
            index += 2
            continue
        out.append(char)
        month = format_string[index + 2 : index + 3]
        if char == "j" and format_string[index + 1 : index + 2] == " " and month and month in MONTH_NAMES:
            out.append("\\e\\r")
        index += 1
    return "".join(out)


def format_date(value, format_string="DATE_FORMAT"):
    """`value` formatted like Django's `date` filter (a named format or format characters), the first of the
    month written "1er" in French: the one date formatting of the site (the template filter `date` is this)."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if getattr(value, "day", None) == 1 and (get_language() or "").startswith("fr"):
        format_string = _with_first(formats.get_format(format_string) if format_string.isupper() else format_string)
    return formats.date_format(value, format_string)


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value):
    """The day in words in the active language; French writes the first of the month "1er"."""
    return format_date(value, "DATE_FORMAT") if value else ""


def long_datetime(value):
    return format_date(value, "DATETIME_FORMAT") if value else ""
