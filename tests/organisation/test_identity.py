"""The body's identity comes from its one record: nothing of a territory is written in code or templates."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.emails import render_email
from organisation.demo import RECORD
from organisation.models import Organisation

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
# Demo and scale data, the benchmark's load, documentation and the tests may name the demo territory.
ALLOWED = re.compile(r"(^|/)(demo|scale)\.py$|^(tests|bench|node_modules|static/vendor|media)/|/locale/|^\.")
SCANNED = {".py", ".html", ".txt", ".css", ".js", ".xml", ".json"}


def demo_territory_words():
    """The demo body's names, towns, streets and contacts, and the places around it."""
    words = {RECORD["legal_name"], RECORD["town"], RECORD["phone"], "Cantal", "Hautes Terres", "hautesterres"}
    words |= {RECORD["tribunal_name"].removeprefix("Tribunal administratif de "), "Aurillac", "Faubourg Notre-Dame"}
    return {word for word in words if word}


def source_files():
    for path in BASE.rglob("*"):
        relative = path.relative_to(BASE).as_posix()
        if path.is_file() and path.suffix in SCANNED and not ALLOWED.search(relative):
            yield relative, path


def test_no_name_address_or_contact_of_the_demo_territory_is_left_in_code_or_templates():
    words = demo_territory_words()
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    found = []
    for relative, path in source_files():
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1):
            if match := pattern.search(line):
                found.append(f"{relative}:{number}: {match.group(0)}")
    assert "Murat" in words and len(words) >= 8
    assert not found, "\n".join(found)


def test_the_header_and_footer_name_the_body_and_how_to_reach_it(client, organisation):
    page = client.get("/").content.decode()
    assert f"{organisation.short_name}</a>" in page
    assert "4 rue du Faubourg Notre-Dame<br>15300 Murat" in page
    assert f'<a href="mailto:{organisation.email}">' in page and organisation.phone in page
    assert f"· {organisation.short_name}</title>" in page


def test_a_site_whose_record_is_not_filled_in_yet_still_serves_its_pages(client, db):
    assert not Organisation.objects.exists()
    response = client.get("/")
    assert response.status_code == 200
    assert "Télécentre" in response.content.decode()


def test_the_main_colour_styles_the_header_and_buttons(client, organisation):
    organisation.main_colour = "#6a1b4d"
    organisation.save()
    page = client.get("/").content.decode()
    assert "/organisation/theme.css?c=6a1b4d" in page
    css = client.get("/organisation/theme.css").content.decode()
    assert "--bs-primary: #6a1b4d;" in css and "--bs-primary-rgb: 106, 27, 77;" in css


def test_a_colour_white_text_cannot_be_read_on_is_refused(organisation):
    organisation.main_colour = "#f0e68c"
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.error_dict["main_colour"][0].code == "contrast"


def test_a_change_to_the_record_shows_at_once_on_the_cached_home_page(client, organisation):
    assert organisation.short_name in client.get("/").content.decode()
    organisation.short_name = "Maison du télétravail"
    organisation.save()
    assert "Maison du télétravail" in client.get("/").content.decode()


def test_emails_carry_the_logo_colour_and_contact_of_the_body(organisation):
    organisation.logo = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    organisation.save()
    _subject, _text, html = render_email("confirm_email", {"confirm_url": "/x/"}, language="fr")
    assert f'src="{settings.SITE_URL}{organisation.logo.url}"' in html
    assert organisation.main_colour in html and organisation.email in html
