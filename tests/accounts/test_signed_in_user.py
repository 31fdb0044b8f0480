"""The signed-in person, read back from the session on every request by Django's model backend."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import ModelBackend
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_deactivated_account_is_signed_out():
    user = make_user(is_active=False)
    assert ModelBackend().get_user(str(user.pk)) is None


def test_an_unknown_id_is_nobody():
    assert ModelBackend().get_user("999999") is None


def test_a_signed_in_person_is_read_once_per_request(client):
    user = make_user()
    client.force_login(user)
    client.get("/portal/")
    with CaptureQueriesContext(connection) as queries:
        request = client.get("/portal/").wsgi_request
    assert request.user == user and request.user.email == user.email
    user_reads = [query["sql"] for query in queries if '"accounts_user"' in query["sql"]]
    assert len(user_reads) == 1, user_reads
