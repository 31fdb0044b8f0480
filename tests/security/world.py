"""The objects the permission table needs: each owned by alice, so bob and staff get 404 on portal URLs."""

from types import SimpleNamespace

from tests.factories import make_household, make_project


def build_world(users):
    alice = users["alice"]
    world = SimpleNamespace(users=users)
    world.project = make_project(alice, sector="Céramique")
    world.household = make_household(alice, [{"first_name": "Léo", "role": "child"}])
    return world
