"""The long_date and long_datetime filters of core.dates, for minutes and letters."""

from django import template

from core import dates

register = template.Library()
register.filter("long_date", dates.long_date)
register.filter("long_datetime", dates.long_datetime)
