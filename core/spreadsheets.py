"""CSV for French spreadsheet software: semicolon-separated, UTF-8 with a BOM so accents read right.

Callers format their own numbers (decimal comma where the export promises it).
"""

import csv
import io

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def csv_text(rows):
    """The rows (sequences of cells) as the text of a French CSV file."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return "\ufeff" + out.getvalue()
