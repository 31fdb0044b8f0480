"""Cached fragments keyed on explicit versions of the data they show.

A fragment's key holds the versions of what it shows, read from the database in one query, so every worker
sees the same ones, with or without a shared cache (a cache of each worker's own only caches less). The code
that changes the data renews its version in the same transaction, in the same place (the model method or
the one service of that write): the new version commits with the data. A version is renewed after the lock
of what it versions is taken (a space's bookings under the space's lock), never before another lock, so it
adds no deadlock. What has no version (names of people, the passing of time) is caught by the fragment's
time-to-live, stated where it is cached.

The versions are read before the fragment is rendered: a fragment rendered from data older than the version
in its key cannot be stored.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language

from core.models import Version


def renew(*names):
    """Give each of these versions a new value (inside the caller's transaction, if any)."""
    Version.objects.bulk_create(
        [Version(name=name, token=secrets.token_hex(4)) for name in names],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token"],
    )


class VersionedModel(models.Model):
    """A model whose saves and deletions renew the versions version_names() gives, after the write."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        renew(*self.version_names())

    def delete(self, *args, **kwargs):
        names = self.version_names()
        deleted = super().delete(*args, **kwargs)
        renew(*names)
        return deleted

    def version_names(self):
        raise NotImplementedError


def current(*names, prefix=None):
    """One value for these versions, and those of every name starting with `prefix` (one query)."""
    condition = Q(name__in=names)
    if prefix:
        condition |= Q(name__startswith=prefix)
    rows = Version.objects.filter(condition).order_by("name").values_list("name", "token")
    return hashlib.blake2s(repr(list(rows)).encode(), digest_size=8).hexdigest()


def cached(name, render, *, vary, timeout):
    """render()'s value for this name, vary values (the versions among them) and language, cached `timeout` s.

    A cache that keeps nothing (down, or dropping writes) only means render() runs on every request.
    """
    key = ":".join(["fragment", name, *map(str, vary), get_language() or ""])
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, timeout)
    return value
