"""The signed-in person's row, read in SQL on every request (accounts/backends.py): the same user as the ORM's."""

import datetime

import pytest
from django.contrib.auth import get_user
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import ModelBackend, read_user
from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_user_read_in_sql_is_the_one_the_orm_reads():
    user = make_user(email="claire@example.org", phone="04 71 20 00 00")
    user.last_login = timezone.now() - datetime.timedelta(days=2)
    user.save()
    with CaptureQueriesContext(connection) as queries:
        read = read_user(str(user.pk))
    assert len(queries) == 1
    orm = User.objects.get(pk=user.pk)
    assert read == orm and not read._state.adding and read._state.db == orm._state.db
    assert read.last_login == orm.last_login and isinstance(read.last_login, datetime.datetime)
    assert read.is_active is True and read.is_staff is False
    fields = [field.name for field in User._meta.concrete_fields]
    assert model_to_dict(read, fields) == model_to_dict(orm, fields)


@pytest.mark.parametrize("user_id", ["999999", "not a number", "", None])
def test_no_user_for_an_unknown_or_malformed_id(user_id):
    assert read_user(user_id) is None


def test_a_deactivated_account_is_signed_out():
    user = make_user(is_active=False)
    assert ModelBackend().get_user(str(user.pk)) is None


def test_a_signed_in_person_is_read_through_it(client):
    user = make_user()
    client.force_login(user)
    request = client.get("/portal/").wsgi_request
    assert request.user == user
    assert get_user(request).email == user.email
