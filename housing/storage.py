"""Kept for migration 0001, which names this storage callable; models use core.storage."""

from core.storage import get_private_storage  # noqa: F401
