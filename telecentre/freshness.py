"""Cached page fragments that change as soon as the data behind them changes.

A fragment is cached under a key made of what it varies on, with the *generation* of each data scope it read
when it was rendered; it is served only while those are still the current generations. A scope is an app
label ("coworking", "housing"...) or a model ("coworking.closure"): every save or delete of one of the app's
models, once committed, gives the app and the model a new generation, so every fragment reading them is
rendered afresh on its next request. Fragments of one person's own data also carry the person's
`data_version`, kept on the user row (so it is right across workers, with or without a shared cache) and
raised by `FreshnessMiddleware` after each of their successful POSTs: what someone just did always shows.

Changes that send no model signal (`QuerySet.update()`, raw SQL) and the passing of time (a booking that
starts now) are caught by age: a fragment is rendered again a minute after it was rendered (while one
request does so, the others are served the previous one rather than all rendering it at once).
Generations live in the default cache; without REDIS_URL each worker keeps its own, so a change made
through another worker can take up to that minute to show (README, "Production").
"""

import secrets
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from audit.middleware import changed_state

TIMEOUT = 60  # seconds a fragment is served before it is rendered again
KEEP = 10 * TIMEOUT  # seconds it stays in the cache, to be served while one request renders it again
RENEWAL = 10  # seconds one request has to render a stale fragment before another one tries
PREFIX = "freshness"


def project_app_labels():
    """The apps of this project (not Django's nor third-party ones): the scopes that have generations."""
    base = Path(settings.BASE_DIR)
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and "site-packages" not in Path(config.path).parts
    }


def _generation_key(scope):
    return f"{PREFIX}:generation:{scope}"


def _with_missing_generations(keys, found):
    """found, with a generation for each of these generation keys it lacks (a scope never seen so far)."""
    missing = {key: secrets.token_hex(4) for key in keys if key not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, None)  # another request may have given it one meanwhile: theirs stands
        # What the cache kept wins; a cache that kept nothing (down, or one that drops writes) still gives a
        # generation for this request, so the page renders, uncached.
        found = {**found, **missing, **cache.get_many(missing)}
    return found


def bump(*scopes):
    """Give each scope a new generation now and, inside a transaction, again once it commits.

    The first renews the fragments at once (for the rest of this transaction, and in tests); the second
    drops whatever another request rendered from the data before the commit in between.
    """

    def renew():
        cache.set_many({_generation_key(scope): secrets.token_hex(4) for scope in scopes}, None)

    renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(renew)


def generations(*scopes):
    """The current generations of these scopes as one string: it changes as soon as one of them changes."""
    keys = [_generation_key(scope) for scope in sorted(scopes)]
    found = _with_missing_generations(keys, cache.get_many(keys))
    return ".".join(str(found[key]) for key in keys)


def cached_fragment(name, scopes, render, vary=()):
    """The HTML of render() for these scopes and vary values, from the cache when it is fresh."""
    return cached_fragments([(name, scopes, render, vary)])[0]


def cached_fragments(specs):
    """Several fragments, each (name, scopes, render, vary), in one cache round trip when all are fresh.

    A fragment is kept under its name, vary values and language, with the generations of its scopes when it
    was rendered: it is served only while they are still the current ones, read in the same round trip.
    It is also kept with the moment it goes stale, TIMEOUT after it was rendered. The first request to find it
    stale renders it again; the requests arriving meanwhile are served the stale one, so a busy page is not
    rendered by every worker at once when its minute is up. A new generation is never served stale.
    """
    scopes = sorted({scope for _name, fragment_scopes, _render, _vary in specs for scope in fragment_scopes})
    generation_keys = [_generation_key(scope) for scope in scopes]
    language = get_language() or ""
    keys = [f"{PREFIX}:fragment:" + ":".join([name, *map(str, vary), language]) for name, _s, _r, vary in specs]
    found = _with_missing_generations(generation_keys, cache.get_many(generation_keys + keys))
    current = {scope: str(found[key]) for scope, key in zip(scopes, generation_keys, strict=True)}
    now = time.time()
    values, rendered = [], {}
    for key, (_name, fragment_scopes, render, _vary) in zip(keys, specs, strict=True):
        generation = ".".join(current[scope] for scope in sorted(set(fragment_scopes)))
        entry = found.get(key)
        if entry is not None and entry[0] == generation and (entry[1] > now or not _claim_renewal(key)):
            values.append(entry[2])
        else:
            values.append(render())
            rendered[key] = (generation, now + TIMEOUT, values[-1])
    if rendered:
        cache.set_many(rendered, KEEP)
    return values


def _claim_renewal(key):
    """Whether this request renders a stale fragment again (True for one request per RENEWAL seconds)."""
    return cache.add(f"{key}:renewal", 1, RENEWAL)


def user_vary(user):
    """What a fragment of one person's own data varies on: who, and the version of their data."""
    return (user.pk, user.data_version)


# Signals -------------------------------------------------------------------------------------------------

_labels = None


def scopes_of(sender):
    """The scopes a change to this model renews: its app's, and its own ("coworking.closure"), for what
    reads only a few models of a busy app.

    A person's account renews only "accounts.user", which the fragments naming other people read (the
    person's own ones follow their data version, accounts/signals.py), not every card of the "accounts" app.
    """
    global _labels  # noqa: PLW0603 - computed once the app registry is ready
    if _labels is None:
        _labels = (project_app_labels() - {"audit"}) | {"auth"}  # auth: groups and their permissions
    label = sender._meta.app_label
    if label not in _labels:
        return ()
    model_scope = f"{label}.{sender._meta.model_name}"
    return (model_scope,) if sender is get_user_model() else (label, model_scope)


def shows_nothing_new(update_fields):
    """A save of only these fields (a login, a version raise) changes nothing any fragment shows."""
    return update_fields is not None and set(update_fields) <= {"last_login", "data_version"}


def model_changed(sender, instance=None, update_fields=None, **kwargs):
    if shows_nothing_new(update_fields):
        return
    if scopes := scopes_of(sender):
        bump(*scopes)


def relation_changed(sender, instance=None, action="", **kwargs):
    if action.startswith("post_") and (scopes := scopes_of(type(instance))):
        bump(*scopes)


def connect():
    post_save.connect(model_changed, dispatch_uid="freshness-save")
    post_delete.connect(model_changed, dispatch_uid="freshness-delete")
    m2m_changed.connect(relation_changed, dispatch_uid="freshness-m2m")


def raise_data_version(user):
    """What this person sees of their own data has changed (their own fragments are rendered afresh)."""
    # In SQL: it follows every POST, and the ORM takes longer to build it than the database to run it.
    model = get_user_model()
    table, column = model._meta.db_table, model._meta.get_field("data_version").column
    table, column, pk = (connection.ops.quote_name(name) for name in (table, column, model._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {column} + 1 WHERE {pk} = %s", [user.pk])  # noqa: S608
    # The instance follows, so that saving it later in the same request does not write the old version back.
    user.data_version += 1


class FreshnessMiddleware:
    """After a POST by a signed-in person that went through, raise their data version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method == "POST" and user is not None and user.is_authenticated and changed_state(response):
            raise_data_version(user)
        return response
