"""Settings read from the environment: malformed values are refused, Redis is used when configured."""

import json
import os
import subprocess
import sys

import pytest


def settings_with(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, "
        "settings.DATABASES['default']['ENGINE'], settings.DEBUG]))"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="telecentre.settings", **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False)


def test_defaults_run_on_sqlite_without_any_configuration():
    result = settings_with()
    assert result.returncode == 0, result.stderr
    assert '"django.db.backends.sqlite3"' in result.stdout and "false]" in result.stdout


def test_redis_url_switches_the_cache_and_sessions():
    result = settings_with(REDIS_URL="redis://127.0.0.1:6379/3")
    assert "RedisCache" in result.stdout and "cached_db" in result.stdout


def test_database_url_selects_postgresql():
    result = settings_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/telecentre")
    assert '"django.db.backends.postgresql"' in result.stdout


def database_options(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="telecentre.settings", **env)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True)
    return json.loads(result.stdout)


def test_postgresql_prepares_frequent_statements_unless_a_pooler_cannot_keep_them():
    url = "postgres://postgres@127.0.0.1:5432/telecentre"
    assert database_options(DATABASE_URL=url) == {"server_side_binding": True, "prepare_threshold": 5}
    assert database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false") == {}


@pytest.mark.parametrize(("name", "value"), [("DJANGO_DEBUG", "perhaps"), ("EMAIL_PORT", "twenty-five")])
def test_a_malformed_value_is_refused_with_its_name(name, value):
    result = settings_with(EMAIL_HOST="smtp.example.org", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


# What the test process itself sets (its database, the live-server async switch) is no production setting.
OUTSIDE_ENVIRONMENT = {"DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in OUTSIDE_ENVIRONMENT}
    environment.update(DJANGO_SETTINGS_MODULE="telecentre.settings", DJANGO_ALLOWED_HOSTS="site.example.org", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, env=environment, check=False
    )


PRODUCTION = {"DJANGO_PRODUCTION": "true", "DJANGO_SECRET_KEY": "s" * 20 + "-0123456789abcdefghijklmnopqrstuvwxyz"}
PG = "postgres://postgres@127.0.0.1:5432/telecentre"


def test_production_without_a_secret_key_is_a_check_error():
    result = manage("check", "--deploy", **{**PRODUCTION, "DJANGO_SECRET_KEY": "", "DATABASE_URL": PG})
    assert result.returncode != 0
    assert "core.E002" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr
    assert "core.E001" not in result.stderr


def test_production_without_database_url_is_a_check_error_not_sqlite_in_the_code_folder():
    result = manage("check", "--deploy", **PRODUCTION)
    assert result.returncode != 0
    assert "core.E001" in result.stderr and "DATABASE_URL" in result.stderr
    assert manage("migrate", "--plan", **PRODUCTION).returncode != 0  # every command refuses, not only check


def test_production_with_its_database_and_key_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DATABASE_URL=PG)
    assert result.returncode == 0, result.stderr


def test_a_deliberate_sqlite_path_is_accepted_in_production(tmp_path):
    result = manage("check", **PRODUCTION, SQLITE_PATH=str(tmp_path / "site.sqlite3"))
    assert result.returncode == 0, result.stderr


def test_the_wsgi_application_refuses_to_load_without_them():
    environment = {k: v for k, v in os.environ.items() if k not in OUTSIDE_ENVIRONMENT}
    environment.update(DJANGO_SETTINGS_MODULE="telecentre.settings", DJANGO_PRODUCTION="true", DJANGO_SECRET_KEY="")
    result = subprocess.run(
        [sys.executable, "-c", "import telecentre.wsgi"], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode != 0
    assert "core.E001" in result.stderr and "core.E002" in result.stderr
