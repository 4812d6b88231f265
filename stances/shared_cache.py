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


def set_many(values: dict, seconds: int = SECONDS) -> None:
    try:
        cache.set_many(values, seconds)
    except RedisError as error:
        logger.warning("Cache unavailable, not storing: %s", error)


def add(key: str, value, seconds: int) -> bool:
    """Store only if absent; True if stored. While the cache is away, True: the caller goes on
    as if it were alone, which is what it did before there was a shared cache."""
    try:
        return cache.add(key, value, seconds)
    except RedisError as error:
        logger.warning("Cache unavailable, going on alone: %s", error)
        return True


def delete(key: str) -> None:
    try:
        cache.delete(key)
    except RedisError as error:
        logger.warning("Cache unavailable, not deleting: %s", error)
