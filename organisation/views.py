from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control

from organisation.models import Organisation


@cache_control(public=True, max_age=300)
def theme_css(request):
    """The body's main colour for the site's header, buttons and links (a stylesheet, as the CSP wants)."""
    css = render_to_string("organisation/theme.css", {"organisation": Organisation.current()})
    return HttpResponse(css, content_type="text/css; charset=utf-8")
