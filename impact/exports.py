"""The dashboard figures as CSV and XLSX files for funders."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import append_row, csv_text, xlsx_bytes
from impact.figures import rows


def _header():
    return [_("Indicator"), _("Value"), _("Definition or detail")]


def as_csv(figures):
    table = [_header()]
    table += [[indicator, value, detail] for indicator, value, detail in rows(figures)]
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
            year["cost"],
            year["reinjected"],
        ]
        for year in figures["by_year"]
    ]
    return csv_text(table)


def as_xlsx(figures):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")[:31]
    append_row(sheet, _header(), bold=True)
    for indicator, value, detail in rows(figures):
        append_row(sheet, [indicator, value, detail])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 60
    years = workbook.create_sheet(_("By year")[:31])
    append_row(
        years,
        [
            _("Year"),
            _("Households installed"),
            _("Entrepreneurs"),
            _("People"),
            _("Public cost (€)"),
            _("Money reinjected (€)"),
        ],
        bold=True,
    )
    for year in figures["by_year"]:
        append_row(
            years,
            [year["year"], year["households"], year["entrepreneurs"], year["people"], year["cost"], year["reinjected"]],
        )
    return xlsx_bytes(workbook)
