"""Private files (supporting documents, letters, invoices, signatures): stored apart, served only by views.

settings.STORAGES["private"] is a storage whose url() raises, so no page can ever link to a private
file: each one is served by a view that first checks who asks, through `serve_private_file`.
FileFields take `storage=get_private_storage`, which follows STORAGES when it changes (tests).
"""

from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.core.signals import setting_changed
from django.http import FileResponse, HttpResponse
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header


class NoPublicURL:
    def url(self, name):
        raise ValueError("Private files have no URL: serve them with core.storage.serve_private_file.")


class PrivateStorage(NoPublicURL, FileSystemStorage):
    """The production private storage: files on disk, outside every served directory."""


class PrivateMemoryStorage(NoPublicURL, InMemoryStorage):
    """The private storage in tests."""


class _PrivateStorageProxy(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorageProxy()


def get_private_storage():
    """The storage callable of every private FileField."""
    return private_storage


def _reset(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


setting_changed.connect(_reset)


def serve_private_file(file, *, filename, content_type=None, inline=False):
    """Send a stored file (or PDF bytes made on the fly) to the person a view has already authorised.

    Never cached by the browser or a proxy, never sniffed as another type, always downloaded or
    shown under `filename`, not under its storage name.
    """
    if isinstance(file, bytes):
        response = HttpResponse(file, content_type=content_type or "application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        response = FileResponse(
            file.open("rb"),
            as_attachment=not inline,
            filename=filename,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
