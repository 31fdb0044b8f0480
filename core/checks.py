"""System checks that keep production from starting on unsafe defaults.

They run with every management command (migrate, db_worker, the scheduler, check --deploy) and when the
WSGI application loads (telecentre/wsgi.py), so a missing setting stops the site instead of running it
on SQLite inside the code folder or with a secret key anyone can read in the repository.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "production"


def _has_secret_key():
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to read an empty one
        return False


@checks.register(TAG)
def production_settings(app_configs=None, **kwargs):
    if not settings.PRODUCTION:
        return []
    errors = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.dummy":
        errors.append(
            checks.Error(
                "Production needs its database: DATABASE_URL is not set.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/telecentre (README, Production). "
                "A deliberate single-machine SQLite database is named with SQLITE_PATH instead.",
                id="core.E001",
            )
        )
    if not _has_secret_key():
        errors.append(
            checks.Error(
                "Production needs a secret key: DJANGO_SECRET_KEY is not set.",
                hint="Set DJANGO_SECRET_KEY to a long random value kept out of the repository, e.g. the output "
                "of: python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="core.E002",
            )
        )
    return errors


def refuse_unsafe_start():
    """Stop with the production errors: gunicorn runs no system check of its own."""
    errors = [message for message in checks.run_checks(tags=[TAG]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(str(error) for error in errors))
