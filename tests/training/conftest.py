import datetime

import pytest
import time_machine

from telecentre.training.models import local_zone
from tests.factories import make_user
from tests.training.factories import MONDAY, make_training_body


def at(day, hour=7, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local_zone())


@pytest.fixture
def frozen():
    """Monday 2 March 2026, 07:00 Europe/Paris, clock stopped."""
    with time_machine.travel(at(MONDAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def carol(db):
    return make_user("carol@example.org", first_name="Carol", last_name="Bernard")


@pytest.fixture
def trainer(db):
    return make_user("formatrice@example.org", first_name="Léa", last_name="Formatrice")


@pytest.fixture(autouse=True)
def training_body(request):
    """The organisation record and its signatory of training documents, as a real site has them."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        return make_training_body()
    return None
