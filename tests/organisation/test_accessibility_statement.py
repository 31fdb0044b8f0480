"""The accessibility statement (RGAA 4.1 model) and the footer's compliance state, built from the audits and
plans staff record: "non conforme" as long as no audit is recorded."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from organisation.models import AccessibilityAudit, AccessibilityPlan
from tests.organisation.test_legal_notice import footer_link

pytestmark = pytest.mark.django_db


def make_audit(rate, **fields):
    values = {
        "audited_on": datetime.date(2026, 10, 5),
        "auditor": "Cabinet Access Audit",
        "rate": Decimal(rate),
        "pages": "Accueil /\nMentions légales /legal-notice/\nForum /forum/",
        "non_compliances": "Le plan du forum n'a pas d'alternative textuelle.",
        "derogations": "Les documents bureautiques publiés avant le 23 septembre 2018.",
        "statement_date": datetime.date(2026, 10, 20),
    }
    return AccessibilityAudit.objects.create(**(values | fields))


def footer(client):
    page = client.get("/").content.decode()
    return page[page.index("<footer") :]


def test_the_footer_says_non_compliant_until_an_audit_is_recorded(client, organisation):
    assert "Accessibilité\u00a0: non conforme" in footer(client)
    page = client.get(footer_link(client, "Accessibilité\u00a0: non conforme")).content.decode()
    assert "<strong>non conforme</strong>" in page and "aucun audit de conformité n’a encore été réalisé" in page
    assert "partiellement conforme" not in page


def test_an_audit_recorded_by_staff_shows_at_once_in_the_footer_and_the_statement(client, organisation):
    assert "Accessibilité\u00a0: non conforme" in footer(client)  # the home page is now cached
    make_audit("72.50")
    assert "Accessibilité\u00a0: partiellement conforme" in footer(client)
    page = client.get(reverse("accessibility")).content.decode()
    assert "<strong>partiellement conforme</strong>" in page
    assert "Cabinet Access Audit" in page and "5 octobre 2026" in page and "72,50\u00a0%" in page
    assert "<li>Mentions légales /legal-notice/</li>" in page
    assert "Le plan du forum n&#x27;a pas d&#x27;alternative textuelle." in page
    assert "documents bureautiques publiés avant le 23 septembre 2018" in page
    assert "20 octobre 2026" in page
    assert '<h3 class="h5">Dérogations pour charge disproportionnée</h3>\n<p>Aucune.</p>' in page


@pytest.mark.parametrize(
    ("rate", "state"),
    [("100", "totalement conforme"), ("50", "partiellement conforme"), ("49.99", "non conforme")],
)
def test_the_state_follows_the_rgaa_thresholds_of_the_latest_audit(client, organisation, rate, state):
    make_audit("90", audited_on=datetime.date(2025, 3, 1))
    make_audit(rate)
    assert f"Accessibilité\u00a0: {state}</a>" in footer(client)


def test_the_statement_names_the_body_its_contact_plans_and_the_defenseur_des_droits(client, organisation):
    AccessibilityPlan.objects.create(
        kind=AccessibilityPlan.Kind.MULTI_YEAR, first_year=2025, last_year=2027, content="Former les agents."
    )
    AccessibilityPlan.objects.create(
        kind=AccessibilityPlan.Kind.ACTION_PLAN, first_year=2026, last_year=2026, content="Auditer le site."
    )
    page = client.get(reverse("accessibility")).content.decode()
    assert f"{organisation.legal_name} s’engage à rendre" in page
    assert "Schéma pluriannuel 2025–2027\u00a0: Former les agents." in page
    assert "Plan d’action 2026\u00a0: Auditer le site." in page
    assert organisation.email in page and reverse("privacy:accessibility-report") in page
    assert "formulaire.defenseurdesdroits.fr" in page and "Libre réponse 71120" in page


def test_the_statement_says_when_no_plan_is_adopted(client, organisation):
    page = client.get(reverse("accessibility")).content.decode()
    assert "Schéma pluriannuel\u00a0: pas encore adopté." in page


def test_a_rate_above_100_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_audit("101")
