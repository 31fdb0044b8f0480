"""Finding a person by name or email, accents and case ignored: "helene" finds Hélène.

PostgreSQL compares through its `unaccent` extension (accounts migration 0009 creates it); SQLite through a
Python function of the same name that accounts registers on each of its connections. Either way the query's
words are stripped of their accents the same way in Python."""

import unicodedata

from django.db.models import CharField, EmailField, Q, TextField, Transform


def strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class Unaccent(Transform):
    lookup_name = "unaccent"
    function = "UNACCENT"


for field in (CharField, EmailField, TextField):
    field.register_lookup(Unaccent)


def register_sqlite_unaccent(sender, connection, **kwargs):
    """connection_created receiver (accounts/apps.py): SQLite learns UNACCENT() on each new connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "UNACCENT", 1, lambda value: None if value is None else strip_accents(value), deterministic=True
        )


def matching(queryset, text, fields=("first_name", "last_name", "email")):
    """The people of `queryset` whose fields contain every word of `text`, accents and case ignored."""
    for word in strip_accents(text).split()[:6]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__unaccent__icontains": word})
        queryset = queryset.filter(condition)
    return queryset
