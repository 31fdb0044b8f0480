"""The dashboard figures as CSV and XLSX files for funders."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import csv_text
from impact.figures import rows


def _header():
    return [_("Indicator"), _("Value"), _("Definition or detail")]


def _csv(value):
    # French spreadsheets read ";" separated columns with a decimal comma.
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(value)


def _cell(value):
    return value if isinstance(value, int | float) or value is None else str(value)


def as_csv(figures):
    table = [_header()]
    table += [[str(indicator), _csv(value), str(detail)] for indicator, value, detail in rows(figures)]
    table.append([])
    table.append(
        [
            _("Year"),
            _("Households installed"),
            _("Entrepreneurs"),
            _("People"),
            _("Public cost (€)"),
            _("Money reinjected (€)"),
        ]
    )
    table += [
        [
            year["year"],
            year["households"],
            year["entrepreneurs"],
            year["people"],
            _csv(year["cost"]),
            _csv(year["reinjected"]),
        ]
        for year in figures["by_year"]
    ]
    return csv_text(table)


def as_xlsx(figures):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")[:31]
    sheet.append(_header())
    for indicator, value, detail in rows(figures):
        sheet.append([str(indicator), _number(value), str(detail)])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 60
    years = workbook.create_sheet(_("By year")[:31])
    years.append(
        [
            _("Year"),
            _("Households installed"),
            _("Entrepreneurs"),
            _("People"),
            _("Public cost (€)"),
            _("Money reinjected (€)"),
        ]
    )
    for year in figures["by_year"]:
        years.append(
            [
                year["year"],
                year["households"],
                year["entrepreneurs"],
                year["people"],
                float(year["cost"]),
                float(year["reinjected"]),
            ]
        )
    for ws in (sheet, years):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return _cell(value)
