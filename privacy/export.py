"""Everything the site holds about one person, for the right of access and portability.

The collector walks the relations from the user: every row whose foreign key
points to the user, then the rows that hang from those (a household's members,
a booking's attendance...), two levels deep. New models are covered without
being listed here; only internal tables and secrets are left out.
"""

import datetime
import decimal
import uuid

from django.db import models
from django.db.models.fields.files import FieldFile

EXCLUDED_APPS = {"sessions", "admin", "contenttypes", "auth", "axes", "django_tasks_database", "audit"}
SECRET_FIELDS = {"password", "token", "secret", "key", "idempotency_key", "calendar_token"}
MAX_DEPTH = 2


def _value(value):
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _row(obj):
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or field.name.endswith("_token"):
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            data[str(field.verbose_name)] = str(related) if related is not None else None
        else:
            value = getattr(obj, field.attname)
            if field.choices:
                value = getattr(obj, f"get_{field.name}_display")()
            data[str(field.verbose_name)] = _value(value)
    return data


def _children(obj):
    """(model, queryset) for each reverse relation of obj (FK or one-to-one pointing at it)."""
    for relation in obj._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label in EXCLUDED_APPS or relation.many_to_many:
            continue
        yield model, model._default_manager.filter(**{relation.field.name: obj})


def collect(user):
    """{section title: [rows]} with the user's own record first."""
    sections = {str(user._meta.verbose_name): [_row(user)]}
    seen = {(type(user), user.pk)}

    def walk(obj, depth):
        if depth > MAX_DEPTH:
            return
        for model, queryset in _children(obj):
            for child in queryset:
                key = (type(child), child.pk)
                if key in seen:
                    continue
                seen.add(key)
                sections.setdefault(str(model._meta.verbose_name_plural), []).append(_row(child))
                walk(child, depth + 1)

    walk(user, 1)
    return sections
