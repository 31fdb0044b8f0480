"""The empty registration form, rendered once per edition and language.

Rendering the form with crispy-forms is most of the cost of the registration page, and the empty form reads
the same for every visitor but for two values put back into the cached HTML on each request: the visitor's
CSRF token and a fresh idempotency key. Workshop seat badges in it are refreshed by the page's script
(seats.json); changes to the programme show once the short timeout has passed.
"""

import uuid

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from telecentre.pagecache import PLACEHOLDER as CSRF_PLACEHOLDER

TEMPLATE = "forum/includes/_registration_form.html"
KEY_PLACEHOLDER = "\x00idempotency-key\x00"
TIMEOUT = 60


def cache_key(edition):
    return f"forum-form:{edition.pk}:{get_language()}"


def empty_form_html(request, form, formset):
    """The unbound form's HTML for this visitor (from the cache when another visitor rendered it lately)."""
    key = cache_key(form.edition)
    html = cache.get(key)
    if html is None:
        form.initial["idempotency_key"] = KEY_PLACEHOLDER
        html = render_to_string(TEMPLATE, {"form": form, "formset": formset, "csrf_token": CSRF_PLACEHOLDER})
        cache.set(key, html, TIMEOUT)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)).replace(KEY_PLACEHOLDER, str(uuid.uuid4())))  # noqa: S308
