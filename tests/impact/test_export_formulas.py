"""The funders' export writes a target's typed name as text, never as a formula (core.spreadsheets)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from impact.models import Target
from tests.impact.factories import known_data

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2024-01-01", "end": "2024-12-31"}
FORMULA = "-2+3+cmd|' /C calc'!A0"


def test_a_typed_target_name_reaches_the_exports_as_text(client, director):
    known_data()
    Target.objects.update(name=FORMULA)
    client.force_login(director)

    text = client.get(reverse("impact:export", args=["csv"]), PERIOD).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [f"'{FORMULA}"] in [row[2:] for row in rows]

    xlsx = client.get(reverse("impact:export", args=["xlsx"]), PERIOD)
    cells = [cell for row in load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows() for cell in row]
    typed = [cell for cell in cells if cell.value == FORMULA]
    assert typed and all(cell.data_type == "s" for cell in typed)
