"""The Redis cache backend reuses its client (telecentre/cache.py) and still reads and writes through Redis."""

import pytest
import redis

from telecentre.cache import RedisCache


def backend():
    return RedisCache("redis://127.0.0.1:6379/11", {"KEY_PREFIX": "test-cache-backend"})


def test_one_client_per_pool_is_reused_for_every_call():
    cache = backend()
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client(write=False) is cache._cache.get_client(write=False)


def test_values_go_through_redis():
    cache = backend()
    try:
        cache.set("greeting", {"fr": "bonjour"}, 30)
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert backend().get("greeting") == {"fr": "bonjour"}  # another backend instance: read from Redis
    cache.delete("greeting")
    assert cache.get("greeting") is None
