"""The Redis cache backend reuses its client (telecentre/cache.py) and still reads and writes through Redis."""

import pytest
import redis

from core.cache import RedisCache


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


def test_a_count_in_a_window_takes_one_round_trip_and_expires():
    cache = backend()
    try:
        cache.delete("attempts")
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert [cache.incr_windows(["attempts"], 60)[0] for _ in range(3)] == [1, 2, 3]
    assert backend().get("attempts") == 3  # an integer Django's cache reads back
    ttl = cache._cache.get_client(write=True).ttl(cache.make_key("attempts"))
    assert 0 < ttl <= 60
    cache.delete("attempts")


def test_several_counts_take_one_round_trip(monkeypatch):
    cache = backend()
    try:
        cache.delete_many(["tries-a", "tries-b"])
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache.incr_windows(["tries-a"], 60)
    pipelines = []
    client = cache._cache.get_client(write=True)
    real_pipeline = client.pipeline

    def counted_pipeline(*args, **kwargs):
        pipelines.append(1)
        return real_pipeline(*args, **kwargs)

    monkeypatch.setattr(client, "pipeline", counted_pipeline)
    assert cache.incr_windows(["tries-a", "tries-b"], 60) == [2, 1]
    assert len(pipelines) == 1
    cache.delete_many(["tries-a", "tries-b"])
