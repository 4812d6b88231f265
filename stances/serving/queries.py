"""The query parameters public views read; every other one is dropped before the cache.

Tracking parameters (`utm_*`, `fbclid`) and junk would otherwise make each address a new cache
entry, and would be echoed into the page (its og:url, its sign-in link) for the next reader.
Only the last value of a parameter counts, as `request.GET.get` reads it, and the order does
not: `?to=…&from=…` and `?from=…&to=…` are one page.
"""

import functools

from django.http import QueryDict

# Pages: as_of, sort, position, from, to, changes; the embed: show, theme; the API: since, page;
# everywhere: lang, where the address has no language prefix (stances/languages/).
READ = frozenset(
    {"as_of", "sort", "position", "from", "to", "changes", "show", "theme", "since", "page", "lang"}
)


def canonical(query_string: str) -> str:
    """The parameters that make the page what it is, in one order: for the cache key."""
    return read(query_string, ordered=True)


# Kept per process by the query string: every cached page's key needs it, and reading one
# into a QueryDict and out again was a tenth of a hit's time. Bounded: junk strings come too.
@functools.lru_cache(maxsize=1024)
def read(query_string: str, *, ordered=False) -> str:
    query = QueryDict(query_string)
    names = [name for name in query if name in READ]
    kept = QueryDict(mutable=True)
    for name in sorted(names) if ordered else names:
        kept[name] = query[name]
    return kept.urlencode()


def drop_unread(request) -> None:
    """Let the view see only the parameters that make its page what it is, as they came."""
    query_string = request.META.get("QUERY_STRING", "")
    kept = read(query_string)
    if kept != query_string:
        request.META["QUERY_STRING"] = kept
        request.GET = QueryDict(kept)
