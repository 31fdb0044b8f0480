"""Django's model backend, with each person's permissions kept between requests.

Every staff page checks permissions, and Django reads them from the database (two queries, a hundred rows for
a director) on every request. Here they are cached under a key that changes whenever they may change:
- the person's `data_version` (on the user row, read with it), raised when their groups, their own
  permissions or their account (active, superuser) change (accounts/signals.py);
- the generation of the "auth" scope (telecentre/freshness.py), renewed when a group's permissions change;
- their age: they are read again a minute after they were, even without a shared cache.
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from telecentre import freshness


class ModelBackend(DjangoModelBackend):
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
