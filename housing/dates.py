"""Date arithmetic for stays: caps are written in months or days."""

import calendar
import datetime


def add_months(day, months):
    """The same day `months` later, clipped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def add_stay(day, months=None, days=None):
    if months:
        return add_months(day, months)
    return day + datetime.timedelta(days=days or 0)


def month_starts(first, count):
    """The first day of `count` consecutive months, starting with first's month."""
    start = first.replace(day=1)
    return [add_months(start, n) for n in range(count)]
