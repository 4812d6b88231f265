"""Django's Redis cache, keeping one client per connection pool.

Django's backend builds a `redis.Redis` for every cache operation; building one copies its
table of some 170 response callbacks, about 0.1 ms each time, and a page render asks Redis
nine or ten times. The client is thread-safe (its connections come from the pool), so one per
pool serves every thread of the process.

It also does in one round trip what a page render would otherwise ask in several
(take_turn_unless_stored, write_many; stances/shared_cache.py falls back to one call each
elsewhere).
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.commands.core import Script

# KEYS: the turn, the page, then others to look up; ARGV: the turn's value and seconds. The
# page alone when it is there; else the turn taken if free, and what the others hold.
_TAKE_TURN_UNLESS_STORED = """
local page = redis.call('GET', KEYS[2])
if page then return {0, {page}} end
local taken = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) and 1 or 0
return {taken, redis.call('MGET', unpack(KEYS, 2))}
"""
_take_turn_unless_stored = Script(None, _TAKE_TURN_UNLESS_STORED.encode())


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

    def take_turn_unless_stored(
        self, turn: str, value, timeout: int, page: str, also=()
    ) -> tuple[bool, dict]:
        """What `page` holds; if nothing, add(turn, value, timeout) and what the keys of `also`
        hold: one round trip, in a script that Redis runs at once (nothing comes between the
        page's lookup and the turn). Whether the turn was taken, and what was found."""
        client = self._cache.get_client(turn, write=True)
        serializer = self._cache._serializer
        keys = [page, *also]
        taken, values = _take_turn_unless_stored(
            keys=[self.make_and_validate_key(k) for k in (turn, *keys)],
            args=[serializer.dumps(value), self.get_backend_timeout(timeout)],
            client=client,
        )
        # The page alone when it is there: the others were not looked up.
        looked_up = zip(keys[: len(values)], values, strict=True)
        found = {key: serializer.loads(raw) for key, raw in looked_up if raw is not None}
        return bool(taken), found

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
