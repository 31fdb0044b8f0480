"""Every CSV and XLSX export goes through here, so a cell a person typed is always written as text.

A value such as `=HYPERLINK("…")` typed as a first name would otherwise start a formula when the file is
opened (CSV injection, OWASP): in a CSV file a text cell that begins with =, +, -, @, a tab or a carriage
return gets a leading apostrophe, which spreadsheets read as "this is text"; in an XLSX file every text
cell is stored as a string, never as the formula openpyxl makes of a value beginning with "=".

CSV files are for French spreadsheet software: semicolon-separated, UTF-8 with a BOM so accents read
right, numbers (int, float, Decimal) with a decimal comma.
"""

import csv
import io
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """The text of a cell, made so that no spreadsheet runs it as a formula."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return as_text(value)


def csv_text(rows):
    """The rows (sequences of cells) as the text of a French CSV file."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([_csv_cell(value) for value in row] for row in rows)
    return "\ufeff" + out.getvalue()


def append_row(sheet, row, *, bold=False):
    """Add a row to an XLSX sheet: numbers stay numbers (Decimal as float), everything else is a text cell."""
    cells = []
    for value in row:
        if isinstance(value, Decimal):
            value = float(value)
        if value is None or isinstance(value, int | float):
            cell = Cell(sheet, value=value)
        else:
            cell = Cell(sheet, value=str(value))
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def xlsx_bytes(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
