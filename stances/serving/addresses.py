"""How the project's urls.py serves each wing's addresses: cached for everyone, or framed.

The wings' views stay plain functions; which of their answers may be shared, and which page
other sites may show in an <iframe>, is decided in one place, next to the addresses.
"""

from collections.abc import Callable, Iterable

from django.urls import URLPattern

from stances.serving.caching import public_page
from stances.serving.framing import allow_framing


def public(patterns: Iterable[URLPattern], *, same_for_everyone=False) -> list[URLPattern]:
    """These addresses, cached and revalidated on the revision (see `public_page`)."""
    return wrapped(patterns, lambda view: public_page(view, same_for_everyone=same_for_everyone))


def framed(patterns: Iterable[URLPattern]) -> list[URLPattern]:
    """These addresses, which any site may show in an <iframe> (see `allow_framing`)."""
    return wrapped(patterns, allow_framing)


def wrapped(patterns: Iterable[URLPattern], decorator: Callable) -> list[URLPattern]:
    return [URLPattern(p.pattern, decorator(p.callback), p.default_args, p.name) for p in patterns]
