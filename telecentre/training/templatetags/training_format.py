"""How training documents write durations: "40 heures", "12,5 heures", "1 heure" in French."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def hours(value):
    """A number of hours as words in the active language, with its decimal comma and no trailing ",0"."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value))
    places = 0 if amount == amount.to_integral_value() else 1
    number = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return ngettext("%(hours)s hour", "%(hours)s hours", int(amount)) % {"hours": number}
