"""The BPF trainee export writes typed names and file numbers as text, never as formulas (core.spreadsheets)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telecentre.training.models import Enrolment
from tests.training.factories import NEXT_MONDAY, make_enrolment, make_programme, make_session
from tests.training.test_staff_and_portal import run_and_export

pytestmark = pytest.mark.django_db
FORMULA = "=cmd|' /C calc'!A0"


def test_typed_formulas_reach_the_bpf_export_as_text(client, bob, training_manager, trainer, frozen):
    bob.last_name = FORMULA
    bob.save()
    session = make_session(make_programme(funding_opco=True), days=(NEXT_MONDAY,))
    enrolment = make_enrolment(session, bob, funding=Enrolment.Funding.OPCO, file_number="@SUM(1+1)")
    run_and_export(trainer, [enrolment], session)
    client.force_login(training_manager)

    response = client.get(reverse("training:export", args=["csv"]) + "?year=2026")
    row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1]
    assert (row[3], row[7], row[9]) == (f"'{FORMULA}", "'@SUM(1+1)", "8,0")

    xlsx = client.get(reverse("training:export", args=["xlsx"]) + "?year=2026")
    cells = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows())[1]
    assert (cells[3].value, cells[3].data_type) == (FORMULA, "s")
    assert (cells[7].value, cells[7].data_type) == ("@SUM(1+1)", "s")
    assert cells[9].value == 8
