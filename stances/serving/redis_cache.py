"""Django's Redis cache, keeping one client per connection pool.

Django's backend builds a `redis.Redis` for every cache operation; building one copies its
table of some 170 response callbacks, about 0.1 ms each time, and a page render asks Redis
nine or ten times. The client is thread-safe (its connections come from the pool), so one per
pool serves every thread of the process.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            with self._lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class Cache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
