"""Hourly allowances for what anyone may ask without signing in (follow requests, error
reports), counted in the shared cache under hashed keys: no address is kept in the clear."""

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 3600


def counted_over(kind: str, value: str, limit: int) -> bool:
    """Count one more request of `kind` from `value` this hour; True once over `limit`."""
    key = f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit
