"""The personas of the permission table: every kind of visitor the site has."""

from django.contrib.auth.models import Group

from accounts import roles
from tests.factories import make_staff, make_user

ANONYMOUS = "anonymous"
ALICE = "alice"  # newcomer A: owns the objects of the world
BOB = "bob"  # newcomer B: must never see A's objects
SUPERUSER = "superuser"
STAFF_ROLES = list(roles.GROUP_NAMES)
PERSONAS = [ANONYMOUS, ALICE, BOB, *STAFF_ROLES, SUPERUSER]


def make_personas():
    users = {
        ALICE: make_user("alice@example.org", first_name="Alice", last_name="Martin"),
        BOB: make_user("bob@example.org", first_name="Bob", last_name="Durand"),
        SUPERUSER: make_user("root@example.org", is_staff=True, is_superuser=True),
    }
    for role in STAFF_ROLES:
        users[role] = make_staff(role, email=f"{role}@example.org")
        assert users[role].groups.filter(pk=Group.objects.get(name=roles.GROUP_NAMES[role]).pk).exists()
    return users
