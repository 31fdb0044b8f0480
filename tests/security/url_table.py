"""What every URL of the site answers to every persona (GET), and which URLs only take POST.

Each entry: URL name -> Expect. `kwargs(world)` builds the URL arguments from the
world's objects (alice's objects; bob and the others must get 404 on them).
A URL of the resolver without an entry here fails the table test: a new page
cannot escape it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from accounts import roles
from tests.security.personas import ALICE, ANONYMOUS, PERSONAS, STAFF_ROLES, SUPERUSER

COWORKING, DIRECTOR, FORUM = roles.COWORKING_MANAGER, roles.DIRECTOR, roles.FORUM_ORGANISER
HOUSING, REFERENT, TRAINING = roles.HOUSING_OFFICER, roles.NEWCOMER_REFERENT, roles.TRAINING_MANAGER

LOGIN = 302  # redirect to the login page
THIS_YEAR = datetime.date.today().year


@dataclass
class Expect:
    statuses: dict
    kwargs: Callable = field(default=lambda world: {})
    post_only: bool = False
    query: str = ""
    # For state changes: what a POST by each persona who must be refused answers
    # (the others are left out: their empty POST could legitimately act).
    refused_posts: dict = field(default_factory=dict)


def everyone(status=200, **options):
    return Expect(dict.fromkeys(PERSONAS, status), **options)


def signed_in(status=200, **options):
    statuses = dict.fromkeys(PERSONAS, status)
    statuses[ANONYMOUS] = LOGIN
    return Expect(statuses, **options)


def owner(kwargs=lambda world: {}, status=200, others=404, **options):
    """alice's own object: alice sees it, every other signed-in persona gets 404 (or `others`)."""
    expect = private(kwargs, status=status, **options)
    for persona, answer in expect.statuses.items():
        if answer == 404:
            expect.statuses[persona] = others
    return expect


def private(kwargs, *staff_roles, status=200, **options):
    """alice's private object, also open to the staff roles that handle it (and the superuser); 404 for others."""
    statuses = dict.fromkeys(PERSONAS, 404)
    statuses[ANONYMOUS] = LOGIN
    statuses[ALICE] = status
    for role in staff_roles:
        statuses[role] = status
    if staff_roles:
        statuses[SUPERUSER] = status
    return Expect(statuses, kwargs=kwargs, **options)


def staff(*allowed_roles, denied=403, anonymous=LOGIN, status=200, **options):
    """A staff screen: the listed roles and the superuser get 200, other signed-in personas `denied`."""
    statuses = dict.fromkeys(PERSONAS, denied)
    statuses[ANONYMOUS] = anonymous
    for role in allowed_roles:
        statuses[role] = status
    statuses[SUPERUSER] = status
    return Expect(statuses, **options)


def staff_member(**options):
    """Any staff member (is_staff), whatever their role; newcomers are sent to the login page."""
    return staff(*STAFF_ROLES, denied=LOGIN, **options)


def post_only(kwargs=lambda world: {}):
    """A state change open to anybody who holds the URL (a secret link): GET is refused with 405."""
    return Expect(dict.fromkeys(PERSONAS, 405), kwargs=kwargs, post_only=True)


def post_signed_in(kwargs=lambda world: {}):
    """A state change of the signed-in person's own data: GET refused; anonymous visitors go to the login page."""
    expect = signed_in(405, kwargs=kwargs, post_only=True)
    expect.refused_posts = {ANONYMOUS: LOGIN}
    return expect


def post_owner(kwargs, *staff_roles):
    """A state change on alice's object: GET refused (405); a POST by anybody else is a 404, as if it did not exist."""
    expect = signed_in(405, kwargs=kwargs, post_only=True)
    expect.refused_posts = {p: 404 for p in PERSONAS if p not in (ALICE, SUPERUSER, *staff_roles)}
    expect.refused_posts[ANONYMOUS] = LOGIN
    return expect


def post_staff(*allowed_roles, kwargs=lambda world: {}, denied=403):
    """A staff action: the permission is checked first (403, or 404 where outsiders must not learn it exists),
    then GET is refused (405) for those who hold it."""
    expect = staff(*allowed_roles, denied=denied, status=405, kwargs=kwargs, post_only=True)
    expect.refused_posts = {p: s for p, s in expect.statuses.items() if s != 405}
    return expect


def post_checked_after_method(kwargs, *allowed_roles, denied=404):
    """A POST-only view whose permission check runs after the method check: GET is 405 for every
    signed-in persona; a POST by anybody without the right answers `denied`."""
    expect = signed_in(405, kwargs=kwargs, post_only=True)
    expect.refused_posts = {p: denied for p in PERSONAS if p not in (SUPERUSER, *allowed_roles)}
    expect.refused_posts[ANONYMOUS] = LOGIN
    return expect


TABLE = {
    # The site
    "home": everyone(),
    "healthz": everyone(503),  # the world runs neither the worker nor the scheduler: no heartbeat
    "security-txt": everyone(),
    "robots-txt": everyone(),
    "portal": signed_in(),
    "staff-home": staff_member(),
    "people": staff(COWORKING, DIRECTOR, HOUSING, REFERENT, TRAINING, query="?q=martin"),
    "person": staff(COWORKING, DIRECTOR, HOUSING, REFERENT, TRAINING, kwargs=lambda w: {"pk": w.users["alice"].pk}),
    "person-contact": post_staff(REFERENT, kwargs=lambda w: {"pk": w.users["alice"].pk}),
    "journey:person-referent": post_staff(REFERENT, DIRECTOR, kwargs=lambda w: {"pk": w.users["alice"].pk}),
    "legal-notice": everyone(),
    "privacy": everyone(),
    "accessibility": everyone(),
    "organisation:theme": everyone(),
    # Django's own view: a GET changes nothing and just goes back (tested below).
    "set_language": everyone(302),
    # Accounts
    "accounts:signup": Expect({**dict.fromkeys(PERSONAS, 302), ANONYMOUS: 200}),
    "accounts:signup-sent": everyone(),
    "accounts:confirm-email": everyone(400, kwargs=lambda world: {"uidb64": "MQ", "token": "bad-token"}),
    "accounts:login": Expect({**dict.fromkeys(PERSONAS, 302), ANONYMOUS: 200}),
    "accounts:login-verify": everyone(302),
    "accounts:two-factor": staff_member(),
    "accounts:logout": post_only(),
    "accounts:password-reset": everyone(),
    "accounts:password-reset-done": everyone(),
    "accounts:password-reset-confirm": everyone(kwargs=lambda world: {"uidb64": "MQ", "token": "bad-token"}),
    "accounts:password-reset-complete": everyone(),
    "accounts:password-change": signed_in(),
    "accounts:password-change-done": signed_in(),
    "accounts:profile": signed_in(),
    "accounts:household": signed_in(),
    "accounts:project": signed_in(),
    "accounts:delete": signed_in(),
    # Personal data, audit
    "privacy:my-data": signed_in(),
    "privacy:export-json": signed_in(),
    "privacy:export-html": signed_in(),
    # The lead's screens check the permission only (no @login_required): an anonymous visitor gets 403,
    # which the issue allows ("403 or login"), where every other staff screen sends them to the login page.
    "privacy:register": staff(roles.DIRECTOR, denied=403),
    "privacy:requests": staff(roles.DIRECTOR, denied=403),
    "privacy:accessibility-report": everyone(),
    "audit:index": staff(roles.DIRECTOR, denied=403),
    "operations:jobs": staff(roles.DIRECTOR),
    # Coworking
    "coworking:index": everyone(),
    "coworking:space": everyone(kwargs=lambda w: {"slug": w.space.slug}),
    "coworking:space-feed": everyone(kwargs=lambda w: {"slug": w.space.slug}),
    "coworking:book": signed_in(),
    "coworking:book-recurring": signed_in(),
    "coworking:my-bookings": signed_in(),
    "coworking:booking": owner(lambda w: {"pk": w.booking.pk}),
    "coworking:booking-change": owner(lambda w: {"pk": w.booking.pk}),
    "coworking:booking-cancel": post_owner(lambda w: {"pk": w.booking.pk}),
    "coworking:series-cancel": post_owner(lambda w: {"pk": w.series.pk}),
    "coworking:waitlist-join": post_signed_in(),
    # The QR code stuck in the room: whoever scans it signs in and checks in their own booking.
    "coworking:check-in": signed_in(kwargs=lambda w: {"token": w.space.checkin_token}),
    "coworking:feed-reset": post_signed_in(),
    # A secret address (revocable through feed-reset), read by calendar apps without a session.
    "coworking:member-feed": everyone(kwargs=lambda w: {"token": w.feed.token}),
    "coworking:grid": staff(COWORKING, DIRECTOR, TRAINING, REFERENT),
    "coworking:staff-book": staff(COWORKING),
    "coworking:staff-check-in": post_staff(COWORKING, kwargs=lambda w: {"pk": w.booking.pk}),
    "coworking:staff-cancel": post_staff(COWORKING, kwargs=lambda w: {"pk": w.booking.pk}),
    "coworking:qr-codes": staff(COWORKING),
    "coworking:qr-code": staff(COWORKING, kwargs=lambda w: {"slug": w.space.slug}),
    "coworking:statistics": staff(COWORKING, DIRECTOR),
    "coworking:invoicing": staff(COWORKING, DIRECTOR),
    # Waiting lists: the entry's secret link (sent by email) is the key, with or without an account.
    "waitlist:entry": everyone(kwargs=lambda w: {"token": w.waitlist_entry.token}),
    "waitlist:accept": post_only(lambda w: {"token": w.waitlist_entry.token}),
    "waitlist:withdraw": post_only(lambda w: {"token": w.waitlist_entry.token}),
    # Training
    "training:index": everyone(),
    "training:programme": everyone(kwargs=lambda w: {"slug": w.session.programme_version.programme.slug}),
    "training:results": everyone(kwargs=lambda w: {"slug": w.session.programme_version.programme.slug}),
    "training:session": everyone(kwargs=lambda w: {"pk": w.session.pk}),
    "training:enrol": signed_in(kwargs=lambda w: {"pk": w.session.pk}),
    "training:mine": signed_in(),
    "training:my-enrolment": owner(lambda w: {"pk": w.enrolment.pk}),
    "training:sign-contract": owner(lambda w: {"pk": w.enrolment.pk}),
    "training:contract-pdf": owner(lambda w: {"pk": w.enrolment.pk}),
    "training:convocation-pdf": owner(lambda w: {"pk": w.enrolment.pk}),
    "training:cancel": post_owner(lambda w: {"pk": w.enrolment.pk}),
    "training:my-attendance": signed_in(),
    "training:sign": owner(lambda w: {"slot_pk": w.slot.pk}),
    "training:my-certificates": signed_in(),
    "training:certificate-pdf": owner(lambda w: {"pk": w.certificate.pk}),
    "training:complaint": signed_in(),
    # The satisfaction survey's secret link, sent by email.
    "training:survey": everyone(kwargs=lambda w: {"token": w.survey.token}),
    "training:staff-calendar": staff(TRAINING, DIRECTOR, REFERENT),
    "training:staff-session": staff(TRAINING, DIRECTOR, REFERENT, kwargs=lambda w: {"pk": w.session.pk}),
    "training:add-slots": post_staff(TRAINING, kwargs=lambda w: {"pk": w.session.pk}),
    "training:cancel-session": post_staff(TRAINING, kwargs=lambda w: {"pk": w.session.pk}),
    "training:complete-session": post_staff(TRAINING, kwargs=lambda w: {"pk": w.session.pk}),
    "training:decide": post_staff(TRAINING, kwargs=lambda w: {"pk": w.enrolment.pk}),
    "training:staff-cancel-enrolment": post_staff(TRAINING, kwargs=lambda w: {"pk": w.enrolment.pk}),
    "training:record-outcome": post_staff(TRAINING, kwargs=lambda w: {"pk": w.enrolment.pk}),
    "training:staff-contract-pdf": staff(TRAINING, DIRECTOR, REFERENT, kwargs=lambda w: {"pk": w.enrolment.pk}),
    "training:send-agreement": post_staff(TRAINING, kwargs=lambda w: {"pk": w.enrolment.pk}),
    "training:resend-certificates": post_staff(TRAINING, kwargs=lambda w: {"pk": w.enrolment.pk}),
    "training:certificates-zip": staff(TRAINING, DIRECTOR, REFERENT, kwargs=lambda w: {"pk": w.session.pk}),
    "training:staff-certificate-pdf": staff(TRAINING, DIRECTOR, REFERENT, kwargs=lambda w: {"pk": w.certificate.pk}),
    "training:evidence": staff(
        TRAINING, DIRECTOR, REFERENT, denied=404, kwargs=lambda w: {"kind": "attendance", "pk": w.attendance.pk}
    ),
    # Trainers are ordinary accounts named on the session: a half-day is 404 for anybody else.
    "training:attendance-pdf": staff(TRAINING, DIRECTOR, REFERENT, denied=404, kwargs=lambda w: {"pk": w.session.pk}),
    "training:slot-sheet": staff(TRAINING, denied=404, kwargs=lambda w: {"pk": w.slot.pk}),
    "training:tablet-sign": staff(
        TRAINING, denied=404, kwargs=lambda w: {"pk": w.slot.pk, "enrolment_pk": w.enrolment.pk}
    ),
    "training:trainer-sign": staff(TRAINING, denied=404, kwargs=lambda w: {"pk": w.slot.pk}),
    "training:mark-absent": post_checked_after_method(lambda w: {"pk": w.slot.pk}, TRAINING),
    "training:correct": post_checked_after_method(lambda w: {"pk": w.slot.pk}, TRAINING),
    "training:exports": staff(TRAINING, DIRECTOR, REFERENT),
    "training:export": staff(TRAINING, DIRECTOR, REFERENT, kwargs=lambda w: {"fmt": "csv"}, query=f"?year={THIS_YEAR}"),
    "training:staff-complaints": staff(TRAINING, DIRECTOR, REFERENT),
    "training:complaint-action": post_staff(TRAINING, kwargs=lambda w: {"pk": w.complaint.pk, "action": "acknowledge"}),
    # Housing
    "housing:index": everyone(),
    "housing:grid": everyone(),
    "housing:grid-version": everyone(kwargs=lambda w: {"version": 1}),
    "housing:apply": signed_in(),
    "housing:application": owner(lambda w: {"pk": w.application.pk}),
    "housing:upload-document": post_owner(lambda w: {"pk": w.application.pk}),
    "housing:withdraw": post_owner(lambda w: {"pk": w.application.pk}),
    "housing:request-explanation": post_owner(lambda w: {"pk": w.application.pk}),
    "housing:document": private(lambda w: {"pk": w.housing_document.pk}, HOUSING, DIRECTOR, REFERENT),
    "housing:letter": private(lambda w: {"pk": w.letter.pk}, HOUSING, DIRECTOR, REFERENT),
    "housing:staff-board": staff(HOUSING),
    "housing:run-scoring": post_staff(HOUSING),
    "housing:meeting-create": staff(HOUSING),
    "housing:meeting": staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:meeting-open": post_staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:meeting-close": post_staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:meeting-attendance": post_staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:meeting-reschedule": post_staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:meeting-conflict": post_staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:meeting-proposal": post_staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:meeting-minutes": staff(HOUSING, kwargs=lambda w: {"pk": w.meeting.pk}),
    "housing:proposal": staff(HOUSING, kwargs=lambda w: {"pk": w.proposal.pk}),
    "housing:occupancy-create": staff(HOUSING, kwargs=lambda w: {"application_pk": w.application.pk}),
    "housing:occupancy-renew": staff(HOUSING, kwargs=lambda w: {"pk": w.occupancy.pk}),
    "housing:timeline": staff(HOUSING, DIRECTOR, REFERENT),
    "housing:explanations": staff(HOUSING),
    "housing:explanation-answer": staff(HOUSING, kwargs=lambda w: {"pk": w.explanation_request.pk}),
    "housing:statistics": staff(HOUSING),
    "housing:statistics-export": staff(HOUSING, kwargs=lambda w: {"year": w.occupancy.start_date.year, "fmt": "csv"}),
    # Forum: the registration's private link (sent by email) is the key, with or without an account.
    "forum:index": everyone(),
    "forum:programme": everyone(),
    "forum:seats": everyone(),
    "forum:resend-link": everyone(),
    "forum:manage": everyone(kwargs=lambda w: {"token": w.registration.token}),
    "forum:change-workshops": post_only(lambda w: {"token": w.registration.token}),
    "forum:cancel": post_only(lambda w: {"token": w.registration.token}),
    "forum:calendar": everyone(kwargs=lambda w: {"token": w.registration.token}),
    "forum:certificate": everyone(kwargs=lambda w: {"token": w.registration.token, "workshop_pk": w.workshop.pk}),
    "forum:checkin": staff(FORUM),
    "forum:checkin-scan": post_staff(FORUM),
    "forum:checkin-attendee": post_staff(FORUM, kwargs=lambda w: {"pk": w.attendee.pk}),
    "forum:walk-in": staff(FORUM),
    "forum:statistics": staff(FORUM, DIRECTOR),
    "forum:pass-on-newcomers": post_staff(FORUM),
    "forum:mailing": staff(FORUM),
    "forum:limits": staff(FORUM),
    "forum:workshop-certificates": staff(FORUM, DIRECTOR, kwargs=lambda w: {"pk": w.workshop.pk}),
    # Installation journey
    # Without a project of their own, a signed-in person is sent to describe it first.
    "journey:index": owner(others=302),
    "journey:mine": owner(others=302),
    "journey:enquire": everyone(),
    "journey:upload": post_signed_in(),
    "journey:document-file": private(lambda w: {"pk": w.document.pk}, REFERENT, DIRECTOR),
    "journey:document-review": post_staff(REFERENT, kwargs=lambda w: {"pk": w.document.pk}),
    "journey:my-business": owner(),
    "journey:board": staff(REFERENT, DIRECTOR),
    "journey:project": staff(REFERENT, DIRECTOR, kwargs=lambda w: {"pk": w.project.pk}),
    "journey:advance": post_staff(REFERENT, kwargs=lambda w: {"pk": w.project.pk}),
    "journey:close": post_staff(REFERENT, kwargs=lambda w: {"pk": w.project.pk}),
    "journey:step": post_staff(REFERENT, kwargs=lambda w: {"pk": w.project.pk, "key": "diagnosis"}),
    "journey:agenda": post_staff(REFERENT, kwargs=lambda w: {"pk": w.project.pk}),
    "journey:fact": staff(REFERENT, kwargs=lambda w: {"pk": w.project.pk, "fact": "business"}),
    "journey:checkin": staff(REFERENT, kwargs=lambda w: {"pk": w.checkin.pk}),
    "journey:enquiries": staff(REFERENT, DIRECTOR),
    "journey:enquiry-convert": post_staff(REFERENT, kwargs=lambda w: {"pk": w.enquiry.pk}),
    "journey:enquiry-drop": post_staff(REFERENT, kwargs=lambda w: {"pk": w.enquiry.pk}),
    # Impact
    "impact:index": staff(DIRECTOR),
    "impact:dashboard": staff(DIRECTOR),
    "impact:export": staff(DIRECTOR, kwargs=lambda w: {"fmt": "csv"}),
    "impact:records": staff(DIRECTOR, kwargs=lambda w: {"figure": "households"}),
    "impact:invoice": staff(DIRECTOR, kwargs=lambda w: {"pk": w.expense.pk}),
    # Only a newcomer who has settled declares local spending: 404 for anybody else.
    "impact:declare-spending": owner(),
}

# Secret links (capabilities): the token is the only key, so a wrong token must answer 404 to everybody.
CAPABILITIES = {
    "coworking:member-feed": lambda token: {"token": token},
    "waitlist:entry": lambda token: {"token": token},
    "training:survey": lambda token: {"token": token},
    "forum:manage": lambda token: {"token": token},
    "forum:calendar": lambda token: {"token": token},
    "forum:certificate": lambda token: {"token": token, "workshop_pk": 1},
    "coworking:check-in": lambda token: {"token": token},
}
