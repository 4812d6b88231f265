"""Hourly allowances for what anyone may ask without signing in (follow requests, error
reports), counted in the shared cache under hashed keys: no address is kept in the clear.
The key hash serves the render budget too (stances/serving/render_budget.py)."""

import hashlib

from stances import shared_cache

WINDOW_SECONDS = 3600


def counted_over(kind: str, value: str, limit: int) -> bool:
    """Count one more request of `kind` from `value` this hour; True once over `limit`."""
    return shared_cache.count(f"{kind}:{hashed(value)}", 1, WINDOW_SECONDS) > limit


def hashed(value: str) -> str:
    """`value` (an address, say) as it goes into a key: not in the clear."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]
