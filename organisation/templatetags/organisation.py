from django import template

from organisation.models import Organisation

register = template.Library()


@register.simple_tag
def current_organisation():
    """The body running the site, for templates rendered without a request (emails, PDF documents)."""
    return Organisation.current()
