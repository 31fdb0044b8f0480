"""The public registration page (/forum/): what it reads, cached until it changes, and its HTML.

The page is the busiest of the forum (everyone opens it when registration opens), and it reads the same for
every visitor but for three things: the visitor's CSRF token, a fresh idempotency key for the form, and the
seats left in each workshop, which change with every registration. So:

- the current edition and its workshops are cached under the PROGRAMME freshness scopes, renewed when an
  edition or a workshop changes but not by registrations;
- the HTML (the unbound form, and the whole page for anonymous visitors) is cached under the same scope with
  placeholders where those three values go, and filled in on each request;
- the seats left are counted in one query, cached only until the next registration, seat or offer change
  (so during a rush they are counted on each request), and put into the HTML on each request.
"""

import re
import uuid

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from forum.models import Edition, Workshop, seats_label
from telecentre import freshness
from telecentre.pagecache import PLACEHOLDER as CSRF_PLACEHOLDER

# The freshness scopes of what the page shows of the programme: the editions and the workshops.
PROGRAMME = ["forum.edition", "forum.workshop"]
FORM_TEMPLATE = "forum/includes/_registration_form.html"
KEY_PLACEHOLDER = "\x00idempotency-key\x00"
SEATS_PLACEHOLDER = re.compile("\x00seats:(\\d+)\x00")


def seats_placeholder(workshop_pk):
    return f"\x00seats:{workshop_pk}\x00"


def programme():
    """(the edition people register for or None, its workshops in the order the form lists them).

    Read again when an edition or a workshop changes (or the minute does): registrations do not renew it, so
    the edition's attendee_total is not kept up to date here (the write paths read it again under lock).
    """
    return freshness.cached_fragments([programme_fragment()])[0]


def programme_fragment():
    """The cached fragment behind programme(), to fetch with others (freshness.cached_fragments)."""
    return ("forum-programme", PROGRAMME, _read_programme, ())


def _read_programme():
    edition = Edition.objects.current()
    if edition is None:
        return None, []
    return edition, list(Workshop.objects.filter(edition=edition).order_by("starts_at", "title"))


def _seats_fragment(edition):
    def count():
        remaining = Workshop.objects.filter(edition=edition).with_remaining().order_by().values_list("pk", "remaining")
        return {pk: (n, seats_label(n)) for pk, n in remaining}

    return ("forum-seats", ["forum", "waitlist"], count, (edition.pk,))


def seats(edition):
    """{workshop id: (seats left, what its badge says)}: seats booked and held by live offers are taken.

    Counted in one query, and again as soon as a registration, a seat or an offer changes (the "forum" and
    "waitlist" scopes): during a rush, on each request; while nothing changes, never.
    """
    return freshness.cached_fragments([_seats_fragment(edition)])[0]


def seat_labels(edition):
    """{workshop id: what its badge says}."""
    return {pk: label for pk, (_n, label) in seats(edition).items()}


def registration_state(edition, now=None):
    """ "open", "later" (not open yet) or "closed": what the page offers; part of its cache key."""
    now = now or timezone.now()
    if edition.registration_is_open(now):
        return "open"
    return "later" if now < edition.registration_opens_at else "closed"


def form_with_placeholders(edition, workshops, form, formset):
    """The unbound form's HTML with placeholders for the CSRF token, the idempotency key and the seats left."""
    form.initial["idempotency_key"] = KEY_PLACEHOLDER
    form.show_seats({workshop.pk: seats_placeholder(workshop.pk) for workshop in workshops})
    html = render_to_string(FORM_TEMPLATE, {"form": form, "formset": formset, "csrf_token": CSRF_PLACEHOLDER})
    return mark_safe(html)  # noqa: S308 - rendered by our template


def empty_form_html(request, edition, render):
    """The unbound form for this visitor: render() gives it with placeholders, cached until the programme
    changes; the seats left come with it from the cache (two cache round trips when both are fresh)."""
    return _cached_and_filled(request, edition, ("forum-form", PROGRAMME, render, (edition.pk,)))


def anonymous_page_html(request, edition, render):
    """The whole page as an anonymous visitor sees it (render() gives it with placeholders), filled in."""
    fragment = ("forum-page", PROGRAMME, render, (edition.pk, registration_state(edition)))
    return _cached_and_filled(request, edition, fragment)


def _cached_and_filled(request, edition, fragment):
    html, found = freshness.cached_fragments([fragment, _seats_fragment(edition)])
    if 'nonce="' in html:
        html = fragment[2]()  # a CSP nonce is one per response: never served from the cache
    return fill(request, html, found)


def fill(request, html, found_seats):
    """Put this visitor's CSRF token, a new idempotency key and the seats left ({id: (n, label)}) into HTML."""
    if SEATS_PLACEHOLDER.search(html):
        html = SEATS_PLACEHOLDER.sub(lambda match: escape(found_seats.get(int(match[1]), (0, ""))[1]), html)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html.replace(KEY_PLACEHOLDER, str(uuid.uuid4())))  # noqa: S308 - our own rendered HTML
