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


def set(key: str, value, seconds: int = SECONDS) -> None:
    try:
        cache.set(key, value, seconds)
    except RedisError as error:
        logger.warning("Cache unavailable, not storing: %s", error)
