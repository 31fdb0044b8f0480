"""The French catalogues are complete: French is the default language of the site."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def test_there_is_a_french_catalogue_for_the_site_and_accounts():
    names = {path.relative_to(ROOT).parts[0] for path in CATALOGUES}
    assert {"locale", "accounts"} <= names


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated_to_french(catalogue):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
