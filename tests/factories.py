"""Small builders for test data: make_<thing>(**overrides)."""

import itertools

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Commune, Household, InstallationProject, User
from accounts.roles import GROUP_NAMES

_sequence = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(email=None, password=PASSWORD, **fields):
    n = next(_sequence)
    fields.setdefault("first_name", f"Prénom{n}")
    fields.setdefault("last_name", f"Nom{n}")
    fields.setdefault("email_confirmed_at", timezone.now())
    return User.objects.create_user(email=email or f"user{n}@example.org", password=password, **fields)


def make_staff(role, email=None, **fields):
    user = make_user(email=email or f"{role}@telecentre.example.org", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


def make_commune(name="Murat", insee_code="15138", postal_code="15300", **fields):
    commune, _created = Commune.objects.get_or_create(
        insee_code=insee_code, defaults={"name": name, "postal_code": postal_code, **fields}
    )
    return commune


def make_project(newcomer, **fields):
    return InstallationProject.objects.create(newcomer=newcomer, **fields)


def make_household(owner, members=()):
    household = Household.objects.create(owner=owner)
    for member in members:
        household.members.create(**member)
    return household
