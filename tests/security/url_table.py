"""What every URL of the site answers to every persona (GET), and which URLs only take POST.

Each entry: URL name -> Expect. `kwargs(world)` builds the URL arguments from the
world's objects (alice's objects; bob and the others must get 404 on them).
A URL of the resolver without an entry here fails the table test: a new page
cannot escape it.
"""

from dataclasses import dataclass, field
from collections.abc import Callable

from accounts import roles
from tests.security.personas import ALICE, ANONYMOUS, BOB, PERSONAS, STAFF_ROLES, SUPERUSER

LOGIN = 302  # redirect to the login page


@dataclass
class Expect:
    statuses: dict
    kwargs: Callable = field(default=lambda world: {})
    post_only: bool = False
    query: str = ""


def everyone(status=200, **options):
    return Expect({persona: status for persona in PERSONAS}, **options)


def signed_in(status=200, **options):
    statuses = {persona: status for persona in PERSONAS}
    statuses[ANONYMOUS] = LOGIN
    return Expect(statuses, **options)


def owner(kwargs, status=200, **options):
    """alice's own object: alice sees it, every other signed-in persona gets 404."""
    statuses = {persona: 404 for persona in PERSONAS}
    statuses[ANONYMOUS] = LOGIN
    statuses[ALICE] = status
    return Expect(statuses, kwargs=kwargs, **options)


def staff(*allowed_roles, denied=403, anonymous=LOGIN, **options):
    """A staff screen: the listed roles and the superuser get 200, other signed-in personas `denied`."""
    statuses = {persona: denied for persona in PERSONAS}
    statuses[ANONYMOUS] = anonymous
    for role in allowed_roles:
        statuses[role] = 200
    statuses[SUPERUSER] = 200
    return Expect(statuses, **options)


def staff_member(**options):
    """Any staff member (is_staff), whatever their role; newcomers are sent to the login page."""
    return staff(*STAFF_ROLES, denied=LOGIN, **options)


def post_only(kwargs=lambda world: {}):
    return Expect({persona: 405 for persona in PERSONAS}, kwargs=kwargs, post_only=True)


TABLE = {
    # The site
    "home": everyone(),
    "healthz": everyone(),
    "portal": signed_in(),
    "staff-home": staff_member(),
    "privacy": everyone(),
    "accessibility": everyone(),
    "set_language": post_only(),
    # Accounts
    "accounts:signup": Expect({**{p: 302 for p in PERSONAS}, ANONYMOUS: 200}),
    "accounts:signup-sent": everyone(),
    "accounts:confirm-email": everyone(400, kwargs=lambda world: {"uidb64": "MQ", "token": "bad-token"}),
    "accounts:login": Expect({**{p: 302 for p in PERSONAS}, ANONYMOUS: 200}),
    "accounts:login-verify": everyone(302),
    "accounts:two-factor": staff_member(),
    "accounts:logout": post_only(),
    "accounts:password-reset": everyone(),
    "accounts:password-reset-done": everyone(),
    "accounts:password-reset-confirm": everyone(
        kwargs=lambda world: {"uidb64": "MQ", "token": "bad-token"}
    ),
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
    "privacy:register": staff(roles.DIRECTOR, denied=403, anonymous=LOGIN),
    "privacy:requests": staff(roles.DIRECTOR, denied=403, anonymous=LOGIN),
    "privacy:accessibility-report": everyone(),
    "audit:index": staff(roles.DIRECTOR, denied=403, anonymous=LOGIN),
}
