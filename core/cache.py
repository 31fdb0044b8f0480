"""Django's Redis cache, reusing one Redis client per connection pool.

Django builds a new `redis.Redis` client for every cache call (django/core/cache/backends/redis.py,
`get_client`), which costs more than the round trip itself for the small values cached here (a fragment
lookup went from 0.20 to 0.07 ms). A client only wraps its pool and is safe to share between threads.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_windows(self, keys, timeout, version=None):
        """Count one more for each key and return their counts; a count starts at 1 and lasts `timeout` seconds.

        One round trip for them all (a MULTI/EXEC of SET NX with the expiry, then INCR, per key) where add()
        then incr() take up to three per key: every forum registration counts its address and its IP
        (core/ratelimit.py).
        """
        keys = [self.make_and_validate_key(key, version=version) for key in keys]
        pipeline = self._cache.get_client(keys[0], write=True).pipeline()
        for key in keys:
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
        return pipeline.execute()[1::2]
