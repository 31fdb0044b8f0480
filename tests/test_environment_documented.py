"""Every environment variable the site reads is in the README, and the production table lists no other."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READS = re.compile(
    r"""(?:env_(?:str|bool|int|list)\(|os\.environ\.get\(|os\.environ\[|os\.getenv\()["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read():
    names = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "node_modules/", "tests/", "bench/")):
            continue
        names |= set(READS.findall(path.read_text()))
    return names


def production_section():
    readme = (ROOT / "README.md").read_text()
    return readme[readme.index("## Production") :].split("\n## ")[0]


def test_the_scan_finds_the_variables_settings_read():
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "REDIS_URL", "TRUSTED_PROXIES"} <= variables_read()


def test_every_variable_read_is_documented():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`", (ROOT / "README.md").read_text()))
    assert sorted(variables_read() - documented) == []


def test_the_production_table_lists_only_variables_that_are_read():
    table = [line for line in production_section().splitlines() if line.startswith("| `")]
    listed = {name for line in table for name in re.findall(r"`([A-Z][A-Z0-9_]+)", line.split("|")[1])}
    assert listed and sorted(listed - variables_read()) == []
