import pytest
import time_machine

from tests.coworking.factories import NOW, make_room, make_space


@pytest.fixture
def frozen():
    """Monday 2 March 2026, 07:00 Europe/Paris, clock stopped."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def zone(db):
    return make_space(name="Open space", slug="open-space", capacity=2)


@pytest.fixture
def room(db):
    return make_room(name="Salle de réunion", slug="salle-reunion")
