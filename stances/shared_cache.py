"""The cache every app server shares (Redis in production): a speed-up, never a need.

While it is away, callers get a miss and render instead of failing.
"""

import logging

from django.core.cache import cache
from redis import RedisError

logger = logging.getLogger(__name__)

SECONDS = 600


def get(key: str):
    try:
        return cache.get(key)
    except RedisError as error:
        logger.warning("Cache unavailable, rendering instead: %s", error)
        return None


def get_many(keys) -> dict:
    """What the keys hold, in one round trip; those not there are left out."""
    try:
        return cache.get_many(keys)
    except RedisError as error:
        logger.warning("Cache unavailable, rendering instead: %s", error)
        return {}


def set(key: str, value, seconds: int = SECONDS) -> None:
    try:
        cache.set(key, value, seconds)
    except RedisError as error:
        logger.warning("Cache unavailable, not storing: %s", error)


def write_many(values: dict, seconds: int = SECONDS, delete=(), counts=()) -> list[int] | None:
    """Store `values`, delete the keys of `delete` and add to the counters of `counts`
    ((key, amount, seconds to live if new)), in one round trip on Redis: the counters' new
    values, or None while the cache is away."""
    if not (values or delete or counts):
        return []
    try:
        if (pipelined := getattr(cache, "write_many", None)) is not None:
            return pipelined(values, seconds, delete, counts)
        cache.set_many(values, seconds)
        cache.delete_many(delete)
        return [count(*counter) for counter in counts]
    except RedisError as error:
        logger.warning("Cache unavailable, not storing: %s", error)
        return None


def count(key: str, amount: int, seconds: int) -> int:
    """The count at `key` after adding `amount`; a new count lives `seconds`. Raises
    RedisError while the cache is away.

    On Redis one round trip (stances/serving/redis_cache.py); elsewhere Django's add() and
    incr(), which take three.
    """
    if (add_to_counter := getattr(cache, "add_to_counter", None)) is not None:
        return add_to_counter(key, amount, seconds)
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, seconds)
        return amount


def add(key: str, value, seconds: int) -> bool:
    """Store only if absent; True if stored. While the cache is away, True: the caller goes on
    as if it were alone, which is what it did before there was a shared cache."""
    try:
        return cache.add(key, value, seconds)
    except RedisError as error:
        logger.warning("Cache unavailable, going on alone: %s", error)
        return True


def take_turn_unless_stored(
    turn: str, value, seconds: int, page: str, also=()
) -> tuple[bool, dict]:
    """What `page` holds; if nothing, add(turn, …) and what the keys of `also` hold: one round
    trip on Redis. Whether the turn was taken, and what was found. While the cache is away, as
    add() and get_many() are: True, and nothing found."""
    try:
        if (scripted := getattr(cache, "take_turn_unless_stored", None)) is not None:
            return scripted(turn, value, seconds, page, also)
        if page in (found := cache.get_many([page])):
            return False, found
        return cache.add(turn, value, seconds), cache.get_many(also)
    except RedisError as error:
        logger.warning("Cache unavailable, going on alone: %s", error)
        return True, {}


def delete(key: str) -> None:
    try:
        cache.delete(key)
    except RedisError as error:
        logger.warning("Cache unavailable, not deleting: %s", error)
