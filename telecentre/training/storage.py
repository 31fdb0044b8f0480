"""Signatures and certificates are personal data: they live in the "private" storage, served only by views."""

from django.core.files.storage import Storage, storages


class PrivateStorage(Storage):
    """Delegates to STORAGES["private"] at call time, so tests can swap it for memory storage."""

    @property
    def backend(self):
        return storages["private"]

    def _open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def _save(self, name, content):
        return self.backend.save(name, content)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def delete(self, name):
        self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def size(self, name):
        return self.backend.size(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def url(self, name):
        raise NotImplementedError("private files are served by views that check ownership")


_private = PrivateStorage()


def private_storage():
    return _private
