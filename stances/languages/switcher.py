"""The language switcher in every page's header, the `hreflang` alternates in its head, and
the address a choice goes through (it remembers the choice in a cookie, then shows the same
page, as of the same date and with the same country open, in the chosen language)."""

import functools
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from stances.languages import CODES, ENGLISH, NAMES, OFFICIAL_LANGUAGES
from stances.languages.addresses import (
    LANG_PARAMETER,
    has_language_versions,
    in_language,
    unprefixed,
)


@require_safe
def choose_language(request, code):
    """Remember `code` as the reader's language and go to `?next=` in it."""
    if code not in CODES:
        raise Http404("No such language.")  # readers see the 404 page, not this
    language = code
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    parts = urlsplit(target)
    path = parts.path or "/"
    if has_language_versions(path):
        path = in_language(path, language)
    response = HttpResponseRedirect(path + (f"?{parts.query}" if parts.query else ""))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def languages(request) -> dict:
    """Context for base.html: the switcher's choices and, on a reader's page, the alternates,
    written in Python (49 links a page: a template loop would cost milliseconds), and only when
    a template asks (fragments never do)."""
    current = get_language() or ENGLISH
    return {
        "language_switcher": SimpleLazyObject(lambda: switcher_items(request, current)),
        "current_language_name": NAMES.get(current, current),
        "language_alternates": SimpleLazyObject(lambda: alternate_links(request)),
    }


def switcher_items(request, current: str) -> str:
    """The switcher's list items: each language named in itself, in its own `lang`, linked to
    the choice's address (one reverse() for all: they differ only by the code)."""
    query = request.META.get("QUERY_STRING", "")
    return _switcher_items(request.path, query, current, get_script_prefix())


# Each written once per process for what it depends on (a page's address; the script prefix,
# under which reverse() answers), as every reader of a page gets the same: about 0.3 ms of
# each render. An address's query is whatever a client sends, so they are bounded.
@functools.lru_cache(maxsize=1024)
def _switcher_items(path: str, query_string: str, current: str, _script_prefix: str) -> str:
    address = reverse("choose_language", args=["xx"]).removesuffix("xx/")
    query = without_lang(query_string)
    here = urlencode({"next": path + (f"?{query}" if query else "")})
    items = []
    for code, name in OFFICIAL_LANGUAGES:
        mark = ' aria-current="true"' if code == current else ""
        items.append(
            f'<li><a href="{escape(f"{address}{code}/?{here}")}" lang="{code}" hreflang="{code}"'
            f"{mark}>{escape(name)}</a></li>"
        )
    return mark_safe("".join(items))  # noqa: S308 - every value is escaped  # nosec B308 B703


def alternate_links(request) -> str:
    """`<link rel="alternate" hreflang>` for every language of this page, and x-default."""
    path = request.path
    if request.resolver_match is None or not has_language_versions(path):
        return ""
    origin = f"{request.scheme}://{request.get_host()}"
    return _alternate_links(origin, path, request.META.get("QUERY_STRING", ""))


@functools.lru_cache(maxsize=1024)
def _alternate_links(origin: str, path: str, query_string: str) -> str:
    query = without_lang(query_string)
    suffix = f"?{query}" if query else ""
    links = [(code, in_language(path, code)) for code, _ in OFFICIAL_LANGUAGES]
    links.append(("x-default", unprefixed(path)))
    return mark_safe(  # noqa: S308 - every value is escaped  # nosec B308 B703
        "".join(
            f'<link rel="alternate" hreflang="{code}" href="{escape(origin + href + suffix)}">'
            for code, href in links
        )
    )


def without_lang(query_string: str) -> str:
    """The query without ?lang=: the other languages' addresses say theirs with their prefix."""
    if LANG_PARAMETER + "=" not in query_string:
        return query_string
    query = QueryDict(query_string, mutable=True)
    query.pop(LANG_PARAMETER, None)
    return query.urlencode()
