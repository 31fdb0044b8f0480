"""Django's model backend, with each person's permissions kept between requests.

Every staff page checks permissions, and Django reads them from the database (two queries, a hundred rows for
a director) on every request. Here they are cached under a key that changes whenever they may change:
- the person's `data_version` (on the user row, read with it), raised when their groups, their own
  permissions or their account (active, superuser) change (accounts/signals.py);
- the generation of the "auth" scope (telecentre/freshness.py), renewed when a group's permissions change;
- their age: they are read again a minute after they were, even without a shared cache.

The signed-in person's row, read on every request, is read in SQL: the ORM takes longer to build the query
than the database takes to answer it.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connections

from telecentre import freshness


def read_user(user_id):
    """The user with this primary key (as the session keeps it), or None: what Django's
    `User._default_manager.get(pk=user_id)` returns, with the same columns, in one plain SELECT."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if pk is None:
        return None
    database = model._default_manager.db
    connection = connections[database]
    sql, attnames, converters = _user_query(model, database)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, expression, functions in converters:
        for convert in functions:
            values[index] = convert(values[index], expression, connection)
    return model.from_db(database, attnames, values)


@functools.cache
def _user_query(model, database):
    """The SELECT of one user by primary key, its columns' attribute names, and the converters the database
    needs for them (SQLite returns dates as text), built once."""
    connection = connections[database]
    meta = model._meta
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names
    converters = []
    for index, field in enumerate(fields):
        expression = field.get_col(meta.db_table)
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if functions:
            converters.append((index, expression, functions))
    return sql, [field.attname for field in fields], converters


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = read_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = freshness.cached_fragment(
                "permissions",
                ["auth"],
                lambda: super(ModelBackend, self).get_all_permissions(user_obj),
                vary=freshness.user_vary(user_obj),
            )
        return user_obj._perm_cache
