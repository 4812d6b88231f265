"""Which language an address asks for, and the same page's address in another language.

English pages keep the addresses they always had; the 23 other languages put their code in
front (`/de/questions/…`). Addresses outside the reader's pages (the API, downloads, feeds, the
share image, the admin) have no prefix: `?lang=` names the language there, the embed and the
map downloads included.
"""

import functools

from django.urls import URLResolver, is_valid_path
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.translation import get_language_from_path

from stances.languages import CODES, ENGLISH

LANG_PARAMETER = "lang"


class LanguagePrefix(LocalePrefixPattern):
    """Django's language prefix, which also lets an address without a prefix through whatever
    the active language (`/questions/x/embed/?lang=de` is that page in German); addresses it
    builds carry the active language's prefix, as Django's do."""

    def match(self, path):
        if found := super().match(path):
            return found
        if get_language_from_path(f"/{path}") is None:
            return path, (), {}
        return None


def language_patterns(*urls) -> list[URLResolver]:
    """`i18n_patterns(..., prefix_default_language=False)` with the prefix above."""
    return [URLResolver(LanguagePrefix(prefix_default_language=False), list(urls))]


# Asked twice on every request, cached pages' included: matched once per path (Django's own
# lookup of the language is kept per process the same way).
@functools.lru_cache(maxsize=4096)
def language_in_path(path: str) -> str | None:
    return get_language_from_path(path)


def unprefixed(path: str) -> str:
    """The path without its language prefix: `/de/questions/x/` → `/questions/x/`."""
    language = language_in_path(path)
    return path[len(language) + 1 :] if language else path


def has_language_versions(path: str) -> bool:
    """Whether the page at this (unprefixed) path also exists under each language's prefix."""
    return _has_language_versions(unprefixed(path))


# Asked on every request without a prefix, cached pages' included: resolved once per path.
@functools.lru_cache(maxsize=4096)
def _has_language_versions(path: str) -> bool:
    with translation.override("de"):
        return is_valid_path(f"/de{path}")


def in_language(path: str, language: str) -> str:
    """The same page's path in `language` (English: no prefix)."""
    bare = unprefixed(path)
    return bare if language == ENGLISH else f"/{language}{bare}"


def requested_in_query(query) -> str | None:
    """The language `?lang=` names (None when absent); ValueError for an unknown one."""
    value = query.get(LANG_PARAMETER)
    if value is None:
        return None
    code = value.strip().lower()
    if code not in CODES:
        raise ValueError(value)
    return code
