"""Keep each person's data version (telecentre/freshness.py) in step with changes to their account and powers."""

from django.contrib.auth import get_user_model

from telecentre import freshness


def user_saved(sender, instance, update_fields=None, **kwargs):
    if freshness.shows_nothing_new(update_fields):
        return
    freshness.raise_data_version(instance)


def powers_changed(sender, instance, action, **kwargs):
    """Groups or permissions of a person (or of a group's members) changed: their cached powers are renewed."""
    if not action.startswith("post_") and action != "pre_clear":
        return
    if isinstance(instance, get_user_model()):
        freshness.raise_data_version(instance)
    else:  # group.user_set.add(...), permission.user_set...: every person concerned, through the auth scope
        freshness.bump("auth")
