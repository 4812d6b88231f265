"""How often one address, and one network, may ask for confirmation mails."""

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 3600
PER_ADDRESS = 3
PER_NETWORK = 20


def _over(kind: str, value: str, limit: int) -> bool:
    # Hashed, so that the cache holds no address in the clear.
    key = f"follow-throttle:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def too_many(*, email: str, network: str) -> bool:
    """Count this request; True when the address or the network has asked too often this hour.

    Both are counted whatever the answer, so that a flood from one network cannot use up
    an address's allowance without also using up its own.
    """
    over_network = _over("net", network, PER_NETWORK)
    over_address = _over("mail", email.lower(), PER_ADDRESS)
    return over_network or over_address
