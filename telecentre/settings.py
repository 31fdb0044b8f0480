"""Settings for the Télécentre site, read from the environment.

A fresh checkout runs on SQLite with no configuration; production sets
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# Production refuses to start without its secret key and its database (core/checks.py).
PRODUCTION = not DEBUG and env_bool("DJANGO_PRODUCTION", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY and not PRODUCTION:
    SECRET_KEY = "insecure-development-key-change-me-in-production-0123456789"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "telecentre.apps.AdminConfig",  # Django's admin, entered through the site's login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "telecentre.third_party.TasksConfig",
    "telecentre.third_party.AxesConfig",
    "django_otp",
    "telecentre.third_party.TOTPConfig",
    "core",
    "accounts",
    "organisation",
    "audit",
    "privacy",
    "waitlist",
    "committees",
    "journey",
    "coworking",
    "telecentre.training",
    "housing",
    "forum",
    "impact",
    "operations",
    "telecentre",
]

MIDDLEWARE = [
    "telecentre.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "telecentre.methods.MethodPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.VerifiedLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "audit.middleware.StaffActionAuditMiddleware",
    "telecentre.freshness.FreshnessMiddleware",
]

ROOT_URLCONF = "telecentre.urls"
WSGI_APPLICATION = "telecentre.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Django's `date` filter, writing "1er" for the first of the month in French (core/template_filters.py).
            "builtins": ["core.template_filters"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "telecentre.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL through DATABASE_URL; production names its database.
DATABASE_URL = env_str("DATABASE_URL")
if PRODUCTION and not DATABASE_URL and not env_str("SQLITE_PATH"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
elif DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters sent apart from the SQL, and statements run 5 times on a connection prepared there:
        # the server parses and plans them once, the client quotes nothing. Turn off behind a pooler in
        # transaction mode (PgBouncer without max_prepared_statements), which cannot keep them.
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 0),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so a transaction that reads then writes waits
                # for another writer (up to "timeout" seconds) instead of failing on lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA cache_size=-20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "telecentre",
    }
}
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "core.cache.RedisCache",  # Django's, one client per pool, serving without Redis when it is down
        "LOCATION": REDIS_URL,
        # A Redis that stops answering costs a page one second at most (core/cache.py then leaves it alone).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    # A shared cache makes cached sessions safe across workers (a per-process cache would keep a
    # logged-out session alive in the other workers).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The public forms' rate limits (core/ratelimit.py) count in a cache every worker shares: Redis when there is
# one, else a table of the database (`manage.py createcachetable` makes it), never a worker's own memory.
CACHES["ratelimit"] = (
    {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ratelimit"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "core_ratelimit"}
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",  # Django's, with permissions cached (accounts/backends.py)
]
# Lockout by account, not by address: a telecentre's users share one public IP.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Télécentre"
# axes.W006 asks for IP-based lockout too; sharing one address is the norm here, so
# locking an IP would lock out the whole coworking space after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["telecentre.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Private documents (housing files, journey documents) live outside MEDIA_ROOT
# and are only served through views that check ownership.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))


def object_store(backend, bucket, **options):
    """A storage on the S3-compatible object store named by the S3_* variables (README)."""
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            # Empty: boto3's own chain (AWS_* variables, instance role).
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "file_overwrite": False,  # as on disk: a second upload of a name gets a new name
            **options,
        },
    }


def file_storages():
    """Files on the local disk, or on an object store shared by every app server when its two buckets are named."""
    public, private = env_str("S3_PUBLIC_BUCKET"), env_str("S3_PRIVATE_BUCKET")
    if not public and not private:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "core.storage.PrivateStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
        }
    if not public or not private or public == private:
        raise ImproperlyConfigured("S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET name two distinct buckets, both or neither")
    return {
        # Pictures shown on public pages: plain, unsigned URLs on a bucket anyone may read.
        "default": object_store(
            "storages.backends.s3.S3Storage",
            public,
            querystring_auth=False,
            custom_domain=env_str("S3_PUBLIC_DOMAIN") or None,
        ),
        # Private documents, in a bucket no one may read: no URL at all, streamed by the views that check
        # who asks (core/storage.py).
        "private": object_store("core.s3.PrivateS3Storage", private),
    }


def public_files_origins():
    """Where the public bucket's pictures are loaded from, for the Content-Security-Policy."""
    bucket = env_str("S3_PUBLIC_BUCKET")
    if not bucket:
        return []
    if env_str("S3_PUBLIC_DOMAIN"):
        return [f"https://{env_str('S3_PUBLIC_DOMAIN')}"]
    endpoint = env_str("S3_ENDPOINT_URL")
    if endpoint:
        scheme, _, host = endpoint.rstrip("/").partition("://")
        return [f"{scheme}://{host}", f"{scheme}://{bucket}.{host}"]  # path or virtual-host addressing
    region = env_str("S3_REGION")
    return [f"https://{bucket}.s3.amazonaws.com"] + ([f"https://{bucket}.s3.{region}.amazonaws.com"] if region else [])


STORAGES = {
    **file_storages(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("DJANGO_PRODUCTION", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Static files are read by this site's own pages only: no other origin needs them (whitenoise sends
# "Access-Control-Allow-Origin: *" unless told otherwise).
WHITENOISE_ALLOW_ALL_ORIGINS = False
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: SMTP in production (a local MTA on localhost:25 unless EMAIL_HOST says otherwise),
# printed to the console in development.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST or env_bool("DJANGO_PRODUCTION"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": env_int("EMAIL_PORT", 587 if EMAIL_HOST else 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST)),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Télécentre <ne-pas-repondre@telecentre.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework, stored in the database and run by
# `manage.py db_worker`. Tests switch to the immediate backend.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 5)

# Public forum form: attempts per hour from one address (`make bench` raises it: all its clients are 127.0.0.1).
FORUM_THROTTLE_PER_IP = env_int("FORUM_THROTTLE_PER_IP", 30)
FORUM_THROTTLE_PER_EMAIL = env_int("FORUM_THROTTLE_PER_EMAIL", 5)

# Security. Production runs behind TLS; development keeps plain HTTP working.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies whose X-Forwarded-For is believed (core.ratelimit.client_address): addresses or networks.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG and env_bool("DJANGO_PRODUCTION"))
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and env_bool("DJANGO_PRODUCTION"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if env_bool("DJANGO_PRODUCTION") else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", *public_files_origins()],
    "media-src": [CSP.SELF, "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# One JSON object a line in production (for a log collector), plain text otherwise; each line carries the
# request id (telecentre/requestlog.py).
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "telecentre.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Error reports, only when a DSN is given; nothing personal is sent (telecentre/monitoring.py).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from telecentre.monitoring import init_sentry

    init_sentry(SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))
