"""The files every site answers at its root for robots and security researchers."""

import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisation.models import Organisation

# RFC 9116 asks for an Expires less than a year ahead; the file is written from the live record, so it is
# always as current as the contact it names.
SECURITY_TXT_LIFETIME = datetime.timedelta(days=364)

# Advice to crawlers, not access control: each of these is behind a login or a token anyway. What is kept out
# of search engines: the staff screens and the admin, every person's own pages, and links that carry a token.
ROBOTS_DISALLOW = [
    "/admin/",
    "/staff/",
    "/*/staff/",
    "/portal/",
    "/accounts/",
    "/privacy/my-data/",
    "/privacy/requests/",
    "/privacy/register/",
    "/coworking/my-bookings/",
    "/coworking/bookings/",
    "/coworking/series/",
    "/coworking/waiting-list/",
    "/coworking/check-in/",
    "/coworking/calendar/",
    "/coworking/book/",
    "/housing/apply/",
    "/housing/applications/",
    "/housing/documents/",
    "/housing/letters/",
    "/journey/mine/",
    "/journey/documents/",
    "/journey/business/",
    "/journey/board/",
    "/journey/projects/",
    "/journey/check-ins/",
    "/journey/enquiries/",
    "/trainings/mine/",
    "/trainings/survey/",
    "/trainings/certificates/",
    "/forum/r/",
    "/forum/link/",
    "/waitlist/",
    "/impact/my-local-spending/",
    "/impact/invoices/",
    "/impact/dashboard/",
    "/healthz",
    "/i18n/",
]


def _text(body):
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request):
    email = Organisation.current().email
    if not email:
        raise Http404("No contact address is recorded yet.")  # a security.txt without Contact is invalid
    midnight = timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    expires = midnight + SECURITY_TXT_LIFETIME
    lines = [
        f"Contact: mailto:{email}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    return _text("\n".join(lines) + "\n")


@require_GET
def robots_txt(request):
    return _text("User-agent: *\n" + "".join(f"Disallow: {path}\n" for path in ROBOTS_DISALLOW))
