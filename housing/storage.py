"""The private storage (settings.STORAGES["private"]) as a lazy object.

A FileField evaluates its storage callable once, when models load; this lazy
object looks the backend up on first use and again after STORAGES changes
(tests switch it to memory). Files there have no public URL: they are served
by `housing.views.document`, which checks who asks.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage


def _reset(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


setting_changed.connect(_reset)
