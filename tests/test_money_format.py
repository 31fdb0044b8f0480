"""One money format: every amount a page shows goes through core.money ("1 234,56 €", the `euros` filter),
never a number with a euro sign written after it."""

import pathlib
import re

from django.conf import settings

# An amount printed by a template and followed by a euro sign: {{ x }} €, {{ x|floatformat }} €, add:" €".
AMOUNT_THEN_EURO = re.compile(r"\}\}\s*(&nbsp;|\xa0)?€|add:\"\s*€\"|\{\{\s*\w+\s*\}\}\s*€")


def test_no_template_writes_its_own_euro_sign():
    root = pathlib.Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}: {line.strip()[:100]}"
        for path in root.glob("**/templates/**/*.*")
        if "node_modules" not in path.parts and ".venv" not in path.parts
        for line in path.read_text().splitlines()
        if AMOUNT_THEN_EURO.search(line)
    ]
    assert not found, "use the euros filter ({% load money %}):\n" + "\n".join(found)
