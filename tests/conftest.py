"""Personas and shared fixtures.

alice and bob are newcomers; each staff role has a persona named after it;
`admin_user` (pytest-django) is the superuser.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from accounts import roles
from tests.factories import PASSWORD, make_staff, make_user

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "private": {"BACKEND": "core.storage.PrivateMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "fr"
    # Each test starts with an empty cache: ids are reused from one test's rolled-back data to the next.
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def alice(db):
    return make_user("alice@example.org", first_name="Alice", last_name="Martin")


@pytest.fixture
def bob(db):
    return make_user("bob@example.org", first_name="Bob", last_name="Durand")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def director(db):
    return make_staff(roles.DIRECTOR, first_name="Dominique", last_name="Directrice")


@pytest.fixture
def coworking_manager(db):
    return make_staff(roles.COWORKING_MANAGER, first_name="Camille", last_name="Coworking")


@pytest.fixture
def training_manager(db):
    return make_staff(roles.TRAINING_MANAGER, first_name="Thomas", last_name="Formation")


@pytest.fixture
def housing_officer(db):
    return make_staff(roles.HOUSING_OFFICER, first_name="Hélène", last_name="Logement")


@pytest.fixture
def forum_organiser(db):
    return make_staff(roles.FORUM_ORGANISER, first_name="Fanny", last_name="Forum")


@pytest.fixture
def referent(db):
    return make_staff(roles.NEWCOMER_REFERENT, first_name="Rémi", last_name="Référent")


# Object store --------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_server():
    from tests.objectstore import start_server

    server, endpoint = start_server()
    yield endpoint
    server.stop()


@pytest.fixture
def object_store(settings, s3_server, monkeypatch):
    """Both file storages on fresh buckets of a real S3 server, configured from the S3_* variables as in production."""
    from telecentre import settings as site_settings
    from tests.objectstore import new_buckets

    buckets = new_buckets(s3_server)
    for name, value in buckets.env.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, **site_settings.file_storages()}
    return buckets


# Browser tests -------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium driven by Playwright; a failure in CI when it is missing."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: browser tests cannot run (install the chromium package).")
        pytest.skip(f"{CHROMIUM} is missing: install the chromium package to run browser tests.")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def browser_page(chromium, live_server, **options):
    """A page of the live server in a new French browser context of its own, closed afterwards."""
    context = chromium.new_context(locale="fr-FR", base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(chromium, live_server):
    """A desktop-sized page; `phone_page` for a phone-sized one."""
    with browser_page(chromium, live_server, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def phone_page(chromium, live_server):
    with browser_page(
        chromium, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ) as page:
        yield page


@pytest.fixture
def axe_page(chromium, live_server):
    """A page for axe-core, which is injected as a script: the test context bypasses the site's CSP for it."""
    with browser_page(chromium, live_server, bypass_csp=True) as page:
        yield page


def visit(page, path):
    """Open path, which must answer (no error status)."""
    response = page.goto(path)
    assert response.status < 400, f"{path} answered {response.status}"
    return response


def browser_login(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, as readable lines.

    axe comes from package.json (node_modules); it is evaluated in the page, which the
    site's CSP does not block (no script tag is added).
    """
    assert AXE.exists(), "run `npm ci`: axe-core comes from package.json"
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.fixture
def organisation(db):
    """The body running the site as the demo fills it (Hautes Terres Communauté) with its signatories."""
    from organisation.demo import seed_record

    return seed_record()
