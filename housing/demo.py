"""Demo data for this app (called by `manage.py seed_demo`, must be idempotent)."""


def seed(stdout):
    pass
