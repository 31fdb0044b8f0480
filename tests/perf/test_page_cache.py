"""The home page is rendered once for anonymous visitors, each of whom still gets their own CSRF token."""

import re

from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit_home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_the_home_page_is_rendered_once_for_anonymous_visitors(db):
    cache.clear()
    first = visit_home(Client())
    second = visit_home(Client())

    assert "home.html" in [template.name for template in first.templates]
    assert second.templates == []
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())


def test_each_visitor_gets_their_own_token_and_can_switch_language(db):
    cache.clear()
    visit_home(Client())
    visitor = Client(enforce_csrf_checks=True)
    page = visit_home(visitor)

    token = TOKEN.search(page.content.decode())[1]
    assert _unmask_cipher_token(token) == visitor.cookies["csrftoken"].value
    response = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": "/"})
    assert response.status_code == 302


def test_signed_in_people_get_their_own_page(alice_client):
    cache.clear()
    visit_home(Client())
    page = visit_home(alice_client)

    assert "home.html" in [template.name for template in page.templates]
    assert "/portal/" in page.content.decode()


def test_a_visitor_with_messages_waiting_gets_a_fresh_page(db):
    cache.clear()
    visit_home(Client())
    client = Client()
    client.cookies["messages"] = "pending"

    assert visit_home(client).templates
