"""Demo data for `manage.py seed_demo`: each app seeds its own part, in dependency order.

Every app's `demo.seed(stdout)` is idempotent (get_or_create on natural keys),
so the command can run on every `make run`.
"""

from importlib import import_module

DEMO_MODULES = [
    "organisation.demo",
    "accounts.demo",
    "journey.demo",
    "coworking.demo",
    "telecentre.training.demo",
    "housing.demo",
    "forum.demo",
    "impact.demo",
]


def seed_all(stdout):
    for name in DEMO_MODULES:
        import_module(name).seed(stdout)
