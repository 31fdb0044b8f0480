"""core.spreadsheets: a typed cell that looks like a formula is written as text, in CSV and in XLSX.

Each export's own test (tests/<app>/test_export_formulas.py) sends a typed formula through it; the last
test here lists the modules that write spreadsheets, so a new export cannot bypass the helper unseen.
"""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheets import append_row, csv_text, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
TRIGGERS = ["=1+1", "+33 6 12 34 56 78", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def parse_csv(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


@pytest.mark.parametrize("typed", TRIGGERS)
def test_a_csv_cell_that_starts_like_a_formula_gets_an_apostrophe(typed):
    assert parse_csv(csv_text([[typed, "Claire"]])) == [["'" + typed, "Claire"]]


def test_csv_numbers_keep_their_sign_and_get_a_decimal_comma():
    assert parse_csv(csv_text([[Decimal("-12.50"), -3, 2.5, None, "Dupont-Martin"]])) == [
        ["-12,50", "-3", "2,5", "", "Dupont-Martin"]
    ]


@pytest.mark.parametrize("typed", TRIGGERS)
def test_an_xlsx_cell_that_starts_like_a_formula_stays_text_as_typed(typed):
    workbook = Workbook()
    append_row(workbook.active, [typed, Decimal("4.5"), 7])
    cells = next(load_workbook(io.BytesIO(xlsx_bytes(workbook))).active.iter_rows())
    assert [cell.data_type for cell in cells] == ["s", "n", "n"]
    # XML turns a carriage return into a newline when read back (attribute normalisation).
    assert cells[0].value == typed.replace("\r", "\n")
    assert (cells[1].value, cells[2].value) == (4.5, 7)


def test_without_the_helper_openpyxl_would_have_saved_a_live_formula():
    """The control: the failure the helper prevents is real."""
    workbook = Workbook()
    workbook.active.append(['=HYPERLINK("https://evil.example")'])
    cell = load_workbook(io.BytesIO(xlsx_bytes(workbook))).active["A1"]
    assert cell.data_type == "f"


EXPORTS = {
    "coworking/staff.py",  # invoicing: tests/coworking/test_export_formulas.py
    "impact/exports.py",  # funders' figures: tests/impact/test_export_formulas.py
    "housing/stats.py",  # yearly statistics: tests/housing/test_export_formulas.py
    "telecentre/training/staff.py",  # BPF trainees: tests/training/test_export_formulas.py
}


def app_sources():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if not relative.startswith((".venv/", "node_modules/", "tests/", "bench/", "core/spreadsheets.py")):
            yield relative, path.read_text()


def sheets_written_directly(text):
    """Names bound to a worksheet (workbook.active, create_sheet) that are then written cell by cell."""
    sheets = re.findall(r"(\w+) = \w+\.(?:active|create_sheet\()", text)
    return [name for name in sheets if re.search(rf"\b{name}\.(append|cell)\(|\b{name}\[", text)]


def test_every_export_writes_through_the_helper_and_is_tested():
    sources = dict(app_sources())
    writers = {name for name, text in sources.items() if re.search(r"\b(csv_text|append_row)\(", text)}
    bypass = {
        name
        for name, text in sources.items()
        if re.search(r"^import csv|^from csv ", text, re.M) or sheets_written_directly(text)
    }
    assert writers == EXPORTS
    assert bypass == set()
    for name in EXPORTS:
        app = name.split("/")[-2] if name.startswith("telecentre/") else name.split("/")[0]
        assert (ROOT / "tests" / app / "test_export_formulas.py").exists(), name
