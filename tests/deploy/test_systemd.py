"""The systemd units shipped in deploy/systemd/ (README, Production): each starts a real program of this
repository with the production environment file, and systemd itself accepts them."""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
INSTALL_DIR = "/srv/telecentre"


def read(unit):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(unit, encoding="utf-8")
    return parser


def test_the_web_server_the_worker_and_the_scheduler_each_have_a_unit_named_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {unit.stem for unit in UNITS} == {"telecentre-web", "telecentre-worker", "telecentre-scheduler"}
    for unit in UNITS:
        assert f"deploy/systemd/{unit.name}" in readme or "deploy/systemd/telecentre-*.service" in readme


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.stem)
def test_each_unit_runs_a_program_of_this_repository_with_the_production_environment(unit):
    service = read(unit)["Service"]
    assert service["EnvironmentFile"] == "/etc/telecentre.env"
    assert service["User"] == "telecentre" and service["WorkingDirectory"] == INSTALL_DIR
    program, *args = shlex.split(service["ExecStart"])
    assert program.startswith(INSTALL_DIR + "/.venv/bin/")
    if program.endswith("/gunicorn"):
        assert args[0] == "telecentre.wsgi" and (ROOT / "telecentre" / "wsgi.py").exists()
    else:
        assert args[0] == "manage.py" and args[1] in get_commands()


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_every_unit(tmp_path):
    """`systemd-analyze verify` on the units as installed here (this checkout in place of /srv/telecentre):
    unknown keys, bad values and missing programs are reported."""
    environment = tmp_path / "telecentre.env"
    environment.write_text("DJANGO_PRODUCTION=true\n")
    copies = []
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace(INSTALL_DIR, str(ROOT))
        copy = tmp_path / unit.name
        copy.write_text(text.replace("/etc/telecentre.env", str(environment)), encoding="utf-8")
        copies.append(str(copy))
    result = subprocess.run(["systemd-analyze", "verify", *copies], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
