"""Template filters every template has (settings.TEMPLATES "builtins"): Django's `date`, with French typography.

`{{ day|date:"j F Y" }}` writes "1er avril 2027" in French, "1 April 2027" in English, through core.dates, the
one date formatting of the site; everything else is Django's own filter."""

from django import template
from django.utils.dateformat import format as format_characters

from core.dates import format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if value in (None, ""):
        return ""
    try:
        return format_date(value, arg or "DATE_FORMAT")
    except AttributeError:
        try:
            return format_characters(value, arg)
        except AttributeError:
            return ""
