"""Every public and portal page passes axe-core's WCAG 2.1 A/AA rules in Chromium, with zero violations."""

from pathlib import Path

import pytest

from tests.conftest import browser_login
from tests.factories import make_household, make_project, make_user

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PUBLIC_PAGES = [
    "/",
    "/privacy/",
    "/accessibility/",
    "/privacy/accessibility-report/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
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
]


def violations(page, path):
    response = page.goto(path)
    assert response.status < 400, f"{path} answered {response.status}"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [
        f"{path}: {v['id']} ({v['impact']}) {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.fixture
def axe_page(chromium, live_server):
    # axe is injected as a script: the test context bypasses the site's CSP for it.
    context = chromium.new_context(locale="fr-FR", base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_and_portal_pages_have_no_axe_violation(axe_page):
    assert AXE.exists(), "run `npm ci`: axe-core comes from package.json"
    alice = make_user("alice@example.org", first_name="Alice")
    make_project(alice, sector="Céramique")
    make_household(alice, [{"first_name": "Léo", "role": "child", "schooling": "enrolled"}])

    found = []
    for path in PUBLIC_PAGES:
        found += violations(axe_page, path)
    browser_login(axe_page, "alice@example.org")
    for path in PORTAL_PAGES:
        found += violations(axe_page, path)
    print(f"axe-core: {len(PUBLIC_PAGES) + len(PORTAL_PAGES)} pages scanned, {len(found)} violations")
    assert not found, "\n".join(found)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_form_with_errors_has_no_axe_violation(axe_page):
    axe_page.goto("/accounts/signup/")
    axe_page.get_by_role("button", name="Créer mon compte").click()
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert result["violations"] == [], [v["id"] for v in result["violations"]]
    # The error text is tied to its field for screen readers.
    described = axe_page.locator("#id_email").get_attribute("aria-describedby") or ""
    assert "error" in described
