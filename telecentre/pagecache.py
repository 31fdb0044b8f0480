"""A cache for public pages that read the same for every anonymous visitor (the home page).

The rendered HTML is kept per language and path; on each request only the visitor's own CSRF token is put
back into it, so forms on the page (the language switcher) keep working and no token is ever shared.
Signed-in people, visitors with a session or pending messages, query strings and pages that carry a CSP
nonce are always rendered afresh.
"""

import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from telecentre import freshness

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PLACEHOLDER = "\x00csrf-token\x00"


def cacheable(request):
    return (
        request.method == "GET"
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def public_page(timeout, scopes=()):
    """Serve the view's anonymous rendering from the cache for `timeout` seconds, or until one of the data
    scopes it shows changes (telecentre.freshness)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not cacheable(request):
                return view(request, *args, **kwargs)
            key = f"public-page:{get_language()}:{request.path}:{freshness.generations('organisation', *scopes)}"
            cached = cache.get(key)
            if cached is None:
                response = view(request, *args, **kwargs)
                html = response.content.decode() if response.status_code == 200 and not response.streaming else ""
                if html and 'nonce="' not in html:
                    cache.set(key, (TOKEN.sub(rf"\g<1>{PLACEHOLDER}\g<2>", html), response["Content-Type"]), timeout)
                return response
            html, content_type = cached
            return HttpResponse(html.replace(PLACEHOLDER, get_token(request)), content_type=content_type)

        return wrapped

    return decorator
