"""Django's Redis cache, keeping one client per connection pool.

Django's backend builds a `redis.Redis` for every cache operation; building one copies its
table of some 170 response callbacks, about 0.1 ms each time, and a page render asks Redis
nine or ten times. The client is thread-safe (its connections come from the pool), so one per
pool serves every thread of the process.

It also does in one round trip what a page render would otherwise ask in several
(add_and_get_many, write_many; stances/shared_cache.py falls back to one call each elsewhere).
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._lock = threading.Lock()

    def _get_connection_pool(self, write):
        # Django makes a server's pool on first use, unguarded: threads that start together
        # could each make one (and a client for each). Made under the lock, once.
        pool = self._pools.get(self._get_connection_pool_index(write))
        if pool is None:
            with self._lock:
                pool = super()._get_connection_pool(write)
        return pool

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

    def add_to_counter(self, key: str, amount: int, timeout: int) -> int:
        """Add `amount` to the counter at `key`, made with `timeout` seconds to live if it is
        not there yet, and give its new value: one round trip (Django's add() and incr() take
        three). cache.get() reads it as an int, as it reads what incr() made."""
        return self.write_many({}, None, counts=[(key, amount, timeout)])[0]

    def add_and_get_many(self, key: str, value, timeout: int, keys) -> tuple[bool, dict]:
        """add(key, value, timeout), then get_many(keys), in one round trip: whether it was
        added, and what the keys held just after."""
        client = self._cache.get_client(key, write=True)
        serializer = self._cache._serializer
        names = {self.make_and_validate_key(k): k for k in keys}
        with client.pipeline(transaction=False) as pipe:
            pipe.set(
                self.make_and_validate_key(key),
                serializer.dumps(value),
                ex=self.get_backend_timeout(timeout),
                nx=True,
            )
            if names:
                pipe.mget(list(names))
            results = pipe.execute()
        found = {}
        if names:
            for name, raw in zip(names, results[1], strict=True):
                if raw is not None:
                    found[names[name]] = serializer.loads(raw)
        return bool(results[0]), found

    def write_many(self, values: dict, timeout, delete=(), counts=()) -> list[int]:
        """set_many(values, timeout), delete each key of `delete`, and add to each counter of
        `counts` ((key, amount, timeout) as add_to_counter takes them), in one round trip:
        the counters' new values."""
        client = self._cache.get_client(write=True)
        dumps = self._cache._serializer.dumps
        seconds = self.get_backend_timeout(timeout)
        with client.pipeline(transaction=False) as pipe:
            for key, value in values.items():
                pipe.set(self.make_and_validate_key(key), dumps(value), ex=seconds)
            for key in delete:
                pipe.delete(self.make_and_validate_key(key))
            for key, amount, counter_seconds in counts:
                key = self.make_and_validate_key(key)
                pipe.set(key, 0, ex=counter_seconds, nx=True)
                pipe.incrby(key, amount)
            results = pipe.execute()
        return results[len(values) + len(delete) + 1 :: 2]
