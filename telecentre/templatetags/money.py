from django import template

from core import money

register = template.Library()


@register.filter
def euros(value):
    """{{ booking.price|euros }} → "1 234,56 €" (core.money)."""
    return money.euros(value)
