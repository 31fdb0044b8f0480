"""Every public form that writes or sends an email has a limit per address and per client (core/ratelimit.py),
counting only what it accepted, and says in French when to try again."""

import pytest
from django.urls import reverse

from accounts.models import User
from journey.models import Enquiry
from privacy.models import AccessibilityReport
from tests.factories import make_user


def enquiry(email):
    return {"first_name": "Claire", "last_name": "Martin", "email": email, "consent": "on", "notes": "Projet"}


def accessibility(email):
    return {"name": "Claire", "email": email, "page_url": "/forum/", "description": "Le contraste est trop faible."}


def signup(email):
    return {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": email,
        "preferred_language": "fr",
        "password1": "un-mot-de-passe-solide-42",
        "password2": "un-mot-de-passe-solide-42",
    }


def reset(email):
    return {"email": email}


def forum_resend(email):
    return {"email": email}


FORMS = {
    "journey:enquire": (enquiry, lambda: Enquiry.objects.count()),
    "privacy:accessibility-report": (accessibility, lambda: AccessibilityReport.objects.count()),
    "accounts:signup": (signup, lambda: User.objects.count()),
    "accounts:password-reset": (reset, None),
    "forum:resend-link": (forum_resend, None),
}


def post(client, name, data, ip="198.51.100.20"):
    return client.post(reverse(name), data, REMOTE_ADDR=ip)


@pytest.fixture
def _forum(db):
    from tests.forum.factories import make_edition

    make_edition()


@pytest.mark.django_db
@pytest.mark.usefixtures("_forum")
@pytest.mark.parametrize("name", FORMS)
def test_one_address_is_limited_whatever_client_and_tag(client, name, mailoutbox):
    build, written = FORMS[name]
    make_user(email="claire@example.org")  # the reset form sends only to an account
    before = written() if written else None
    for n in range(3):
        assert post(client, name, build(f"claire+{n}@example.org"), ip=f"198.51.100.{n}").status_code == 302
    after = written() if written else None
    sent = len(mailoutbox)

    refused = post(client, name, build("Claire+late@Example.org"), ip="198.51.100.99")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Réessayez dans" in refused.content.decode()
    assert len(mailoutbox) == sent
    if written:
        assert written() == after == before + 3


@pytest.mark.django_db
@pytest.mark.usefixtures("_forum")
@pytest.mark.parametrize("name", FORMS)
def test_one_client_is_limited_whatever_address(client, name):
    build, _written = FORMS[name]
    for n in range(10):
        assert post(client, name, build(f"person{n}@example.org")).status_code == 302

    refused = post(client, name, build("someone-else@example.org"))
    other_client = post(client, name, build("someone-else@example.org"), ip="198.51.100.21")

    assert refused.status_code == 429
    assert "Réessayez dans" in refused.content.decode()
    assert other_client.status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("_forum")
@pytest.mark.parametrize("name", FORMS)
def test_forms_refused_for_their_own_errors_count_nothing(client, name):
    build, _written = FORMS[name]
    for _ in range(12):
        post(client, name, {**build("claire@example.org"), "email": "pas une adresse"})
    assert post(client, name, build("claire@example.org")).status_code == 302
