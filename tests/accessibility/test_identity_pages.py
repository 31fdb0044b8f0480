"""The legal notice, the privacy notice and the accessibility statement pass axe-core once the body's record,
an audit and its plans are filled in (the page-by-page scan of test_axe sees them with a blank record)."""

import pytest
from django.urls import reverse

from organisation.demo import seed_record
from organisation.models import AccessibilityPlan
from tests.conftest import axe_violations, visit
from tests.organisation.test_accessibility_statement import make_audit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_legal_privacy_and_accessibility_pages_have_no_axe_violation(axe_page):
    seed_record()
    make_audit("72.5")
    AccessibilityPlan.objects.create(
        kind=AccessibilityPlan.Kind.MULTI_YEAR, first_year=2025, last_year=2027, content="Former les agents."
    )
    found = []
    for name in ("legal-notice", "privacy", "accessibility"):
        visit(axe_page, reverse(name))
        footer = axe_page.locator("footer")
        assert footer.get_by_role("link", name="Accessibilité\u00a0: partiellement conforme").count()
        found += axe_violations(axe_page)
    assert not found, "\n".join(found)
