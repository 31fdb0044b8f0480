import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_figures_cache():
    """The dashboard keeps its figures in the cache a few minutes: each test starts without them."""
    cache.clear()
    yield
    cache.clear()
