"""Every public and portal page passes axe-core's WCAG 2.1 A/AA rules in Chromium, with zero violations."""

import pytest
from django.urls import reverse

from tests.conftest import axe_violations, browser_login, visit
from tests.security.personas import make_personas
from tests.security.world import build_world


def NONE(world):
    return {}


PUBLIC_PAGES = [
    "/",
    "/privacy/",
    "/legal-notice/",
    "/accessibility/",
    "/privacy/accessibility-report/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    ("coworking:index", NONE),
    ("coworking:space", lambda w: {"slug": w.space.slug}),
    ("training:index", NONE),
    ("training:programme", lambda w: {"slug": w.session.programme_version.programme.slug}),
    ("training:results", lambda w: {"slug": w.session.programme_version.programme.slug}),
    ("training:session", lambda w: {"pk": w.session.pk}),
    ("training:survey", lambda w: {"token": w.survey.token}),
    ("housing:index", NONE),
    ("housing:grid", NONE),
    ("forum:index", NONE),
    ("forum:programme", NONE),
    ("forum:resend-link", NONE),
    ("forum:manage", lambda w: {"token": w.registration.token}),
    ("journey:enquire", NONE),
    ("waitlist:entry", lambda w: {"token": w.waitlist_entry.token}),
]
PORTAL_PAGES = [
    "/portal/",
    "/accounts/profile/",
    "/accounts/household/",
    "/accounts/project/",
    "/accounts/password/change/",
    "/accounts/delete/",
    "/privacy/my-data/",
    "/privacy/my-data/export/",
    ("coworking:book", NONE),
    ("coworking:book-recurring", NONE),
    ("coworking:my-bookings", NONE),
    ("coworking:booking", lambda w: {"pk": w.booking.pk}),
    ("coworking:booking-change", lambda w: {"pk": w.booking.pk}),
    ("coworking:check-in", lambda w: {"token": w.space.checkin_token}),
    ("training:mine", NONE),
    ("training:my-enrolment", lambda w: {"pk": w.enrolment.pk}),
    ("training:sign-contract", lambda w: {"pk": w.enrolment.pk}),
    ("training:my-attendance", NONE),
    ("training:sign", lambda w: {"slot_pk": w.slot.pk}),
    ("training:my-certificates", NONE),
    ("training:complaint", NONE),
    ("housing:apply", NONE),
    ("housing:application", lambda w: {"pk": w.application.pk}),
    ("journey:mine", NONE),
    ("journey:my-business", NONE),
    ("impact:declare-spending", NONE),
]
# Pages showing form errors: (page, {field selector: bad value}); the page's last form is then sent.
FORMS_WITH_ERRORS = [
    ("/accounts/signup/", {}),
    ("/privacy/accessibility-report/", {}),
    (("forum:resend-link", NONE), {}),
    (("journey:enquire", NONE), {}),
    (("forum:index", NONE), {}),
]
PORTAL_FORMS_WITH_ERRORS = [
    (("coworking:book", NONE), {}),
    (("training:complaint", NONE), {}),
    (("journey:my-business", NONE), {"#id_name": "", "#id_siret": "123"}),
    (("impact:declare-spending", NONE), {}),
    ("/accounts/password/change/", {}),
]


def path_of(entry, world):
    if isinstance(entry, str):
        return entry
    name, kwargs = entry
    return reverse(name, kwargs=kwargs(world))


def violations(page, path):
    visit(page, path)
    return scan(page, path)


def errors_shown(page, path, bad_values):
    """Send the form with bad values (or as it is) and scan the page with its errors."""
    page.goto(path)
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    for selector, value in bad_values.items():
        page.locator(selector).fill(value)
    page.locator("main form").filter(has=page.locator("[type=submit]")).last.locator("[type=submit]").last.click()
    page.wait_for_load_state()
    found = scan(page, path + " (errors)")
    assert page.locator(".invalid-feedback, .errorlist, .alert-danger, [aria-invalid=true]").count(), path
    return found


def scan(page, label):
    return [f"{label}: {line}" for line in axe_violations(page)]


@pytest.fixture
def world(transactional_db):
    return build_world(make_personas())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_and_portal_pages_have_no_axe_violation(axe_page, world):
    found, scanned = [], 0
    for entry in PUBLIC_PAGES:
        found += violations(axe_page, path_of(entry, world))
        scanned += 1
    for entry, bad_values in FORMS_WITH_ERRORS:
        found += errors_shown(axe_page, path_of(entry, world), bad_values)
        scanned += 1
    browser_login(axe_page, "alice@example.org")
    for entry in PORTAL_PAGES:
        found += violations(axe_page, path_of(entry, world))
        scanned += 1
    for entry, bad_values in PORTAL_FORMS_WITH_ERRORS:
        found += errors_shown(axe_page, path_of(entry, world), bad_values)
        scanned += 1
    with_errors = len(FORMS_WITH_ERRORS) + len(PORTAL_FORMS_WITH_ERRORS)
    print(f"axe-core: {scanned} pages scanned ({with_errors} showing form errors), {len(found)} violations")
    assert not found, "\n".join(found)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_error_is_tied_to_its_field_for_screen_readers(axe_page):
    axe_page.goto("/accounts/signup/")
    axe_page.get_by_role("button", name="Créer mon compte").click()
    described = axe_page.locator("#id_email").get_attribute("aria-describedby") or ""
    assert "error" in described
