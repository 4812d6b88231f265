"""Hourly allowances for what anyone may ask without signing in (follow requests, error
reports), counted in the shared cache under hashed keys: no address is kept in the clear.
The counting itself serves the render budget too (stances/serving/render_budget.py)."""

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 3600


def counted_over(kind: str, value: str, limit: int) -> bool:
    """Count one more request of `kind` from `value` this hour; True once over `limit`."""
    return add_to_count(f"{kind}:{hashed(value)}", 1, WINDOW_SECONDS) > limit


def hashed(value: str) -> str:
    """`value` (an address, say) as it goes into a key: not in the clear."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def add_to_count(key: str, amount: int, seconds: int) -> int:
    """The count at `key` after adding `amount`; a new count lives `seconds`.

    On Redis one round trip (stances/serving/redis_cache.py); elsewhere Django's add() and
    incr(), which take three.
    """
    add_to_counter = getattr(cache, "add_to_counter", None)
    if add_to_counter is not None:
        return add_to_counter(key, amount, seconds)
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, seconds)
        return amount
