import pytest
from django.conf import settings
from django.utils import translation

from tests.housing.factories import make_grid


@pytest.fixture(autouse=True)
def _english(client):
    """Assertions read the English source strings; one test checks the French pages on purpose."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def grid(db):
    return make_grid()
