"""Cached page fragments that change as soon as the data behind them changes.

A fragment is cached under a key made of what it varies on and of the current *generation* of each data
scope it reads. A scope is an app label ("coworking", "housing"...): every save or delete of one of the
app's models, once committed, gives the app a new generation, so every fragment reading that app is
rendered afresh on its next request. Fragments of one person's own data also carry the person's
`data_version`, kept on the user row (so it is right across workers, with or without a shared cache) and
raised by `FreshnessMiddleware` after each of their successful POSTs: what someone just did always shows.

Changes that send no model signal (`QuerySet.update()`, raw SQL) and the passing of time (a booking that
starts now) are caught by the minute the key also carries: no fragment is ever older than a minute.
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
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from audit.middleware import changed_state

TIMEOUT = 60
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


def generations(scopes):
    """The current generation of each scope, as one string (a scope never seen gets one now)."""
    keys = {scope: _generation_key(scope) for scope in sorted(set(scopes))}
    found = cache.get_many(keys.values())
    missing = {key: secrets.token_hex(4) for key in keys.values() if key not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, None)
        found.update(cache.get_many(missing))
    return ".".join(str(found.get(key, "")) for key in keys.values())


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


def fragment_key(name, scopes, vary=(), generation=None):
    """The cache key of a fragment: its name, what it varies on, the language, the minute and the generations."""
    minute = int(time.time() // TIMEOUT)
    parts = [name, *map(str, vary), get_language() or "", str(minute), generation or generations(scopes)]
    return f"{PREFIX}:fragment:" + ":".join(parts)


def cached_fragment(name, scopes, render, vary=()):
    """The HTML of render() for these scopes and vary values, from the cache when it is fresh."""
    return cached_fragments([(name, scopes, render, vary)])[0]


def cached_fragments(specs):
    """Several fragments, each (name, scopes, render, vary), in two cache round trips when all are fresh."""
    scopes = sorted({scope for _name, fragment_scopes, _render, _vary in specs for scope in fragment_scopes})
    current = dict(zip(scopes, generations(scopes).split("."), strict=True)) if scopes else {}
    keys = [
        fragment_key(name, (), vary, generation=".".join(current[scope] for scope in sorted(set(fragment_scopes))))
        for name, fragment_scopes, _render, vary in specs
    ]
    found = cache.get_many(keys)
    rendered = {}
    for key, (_name, _scopes, render, _vary) in zip(keys, specs, strict=True):
        if key not in found:
            rendered[key] = render()
    if rendered:
        cache.set_many(rendered, TIMEOUT)
    return [found[key] if key in found else rendered[key] for key in keys]


def user_vary(user):
    """What a fragment of one person's own data varies on: who, and the version of their data."""
    return (user.pk, user.data_version)


# Signals -------------------------------------------------------------------------------------------------

_labels = None


def _scope_of(sender):
    global _labels  # noqa: PLW0603 - computed once the app registry is ready
    if _labels is None:
        _labels = (project_app_labels() - {"audit"}) | {"auth"}  # auth: groups and their permissions
    label = sender._meta.app_label
    return label if label in _labels else None


def shows_nothing_new(update_fields):
    """A save of only these fields (a login, a version raise) changes nothing any fragment shows."""
    return update_fields is not None and set(update_fields) <= {"last_login", "data_version"}


def model_changed(sender, instance=None, update_fields=None, **kwargs):
    if shows_nothing_new(update_fields):
        return
    if scope := _scope_of(sender):
        bump(scope)


def relation_changed(sender, instance=None, action="", **kwargs):
    if action.startswith("post_") and (scope := _scope_of(type(instance))):
        bump(scope)


def connect():
    post_save.connect(model_changed, dispatch_uid="freshness-save")
    post_delete.connect(model_changed, dispatch_uid="freshness-delete")
    m2m_changed.connect(relation_changed, dispatch_uid="freshness-m2m")


def raise_data_version(user):
    """What this person sees of their own data has changed (their own fragments are rendered afresh)."""
    get_user_model().objects.filter(pk=user.pk).update(data_version=F("data_version") + 1)
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
