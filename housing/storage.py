"""Kept for migration 0001, which names this storage callable; models use telecentre.storage."""

from telecentre.storage import get_private_storage  # noqa: F401
