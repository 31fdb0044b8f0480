"""The private storage on an S3-compatible object store (settings.STORAGES when S3_PRIVATE_BUCKET is set).

Kept apart from core/storage.py so that boto3 is only imported by sites that use an object store.
"""

from storages.backends.s3 import S3Storage

from core.storage import NoPublicURL


class PrivateS3Storage(NoPublicURL, S3Storage):
    """Private documents in their own bucket (readable by no one): never a URL, signed or not; views stream them."""
