"""Public pages and data, cached on the data's revision and served before most of the stack.

`@public_page` says what may be shared: it gives the response validators taken from the
revision (ETag, Last-Modified), Cache-Control and Vary, and answers 304 when they match.
`PageCacheMiddleware`, just below WhiteNoise, keeps such a response exactly as it went out
(every middleware's headers included) and serves it again, or a 304, to the next anonymous
reader without sessions, users, CSRF or, on PostgreSQL, any database query while the revision
stands (stances/revisions.py). Any write raises the revision, so nothing served is stale;
signed-in users always get a fresh page.
"""

import hashlib
from dataclasses import dataclass
from functools import partial, wraps

from django.conf import settings
from django.core.cache import caches
from django.db import Error as DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from stances import revisions, shared_cache

# Browsers revalidate at once (the ETag makes that cheap); a CDN may serve a page for a
# minute while a question is in the news, then revalidates too.
BROWSER_MAX_AGE = 0
SHARED_MAX_AGE = 60
CACHE_SECONDS = shared_cache.SECONDS
VARIANT_HEADERS = ("HX-Request", "HX-Target")
# Left out of a 304, which has no body to describe.
BODY_HEADERS = {"content-type", "content-length", "content-encoding", "content-disposition"}


def public_page(view=None, *, same_for_everyone=False):
    """Cache and revalidate a view's answers to anonymous GETs on the revision.

    `same_for_everyone`: the content does not depend on who asks (downloads, the API, feeds),
    so signed-in users get the same public validators; pages, which show editors their edit
    controls, are private and fresh for them.
    """
    if view is None:
        return partial(public_page, same_for_everyone=same_for_everyone)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        shared = same_for_everyone or not request.user.is_authenticated
        if request.method not in ("GET", "HEAD") or not shared:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        current = revisions.of_request(request)
        tag = entity_tag(request)
        if tag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            response.page_cache_key = page_key(tag)  # for PageCacheMiddleware to keep
        # Weak: the same page goes out gzipped or not, byte for byte different.
        response["ETag"] = f"W/{tag}"
        response["Last-Modified"] = http_date(current.changed_at.timestamp())
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=SHARED_MAX_AGE)
        patch_vary_headers(response, ["Cookie", "Accept-Encoding", *VARIANT_HEADERS])
        return response

    return wrapper


class PageCacheMiddleware:
    """Serve what @public_page let through to readers without a session, as it went out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_share(request):
            return self.get_response(request)
        try:
            key = page_key(entity_tag(request))
        except DatabaseError:
            return self.get_response(request)  # the view meets the error again: a 503
        stored = stored_page(key)
        if stored is not None:
            return stored.response(request)
        response = self.get_response(request)
        if getattr(response, "page_cache_key", None) == key and storable(request, response):
            keep_page(key, StoredPage.of(response))
        return response


def stored_page(key: str) -> "StoredPage | None":
    """From this process's memory, else from the shared cache (Redis in production).

    A copy in memory is never stale either: the key names the revision.
    """
    local = caches["local"]
    stored = local.get(key)
    if stored is None:
        stored = shared_cache.get(key)
        if stored is not None:
            local.set(key, stored, CACHE_SECONDS)
    return stored


def keep_page(key: str, page: "StoredPage") -> None:
    shared_cache.set(key, page)
    caches["local"].set(key, page, CACHE_SECONDS)


def may_share(request) -> bool:
    """Only a reader without a session can be told apart from an editor without a query."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def storable(request, response) -> bool:
    # A response that set a cookie (a session, a CSRF token) belongs to one visitor only.
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.cookies
        and not response.streaming
    )


def entity_tag(request) -> str:
    """The revision, and what else the page depends on: its whole address (scheme and host
    too: the API, the feeds and the embed snippet give absolute addresses), the htmx fragment
    asked, and the day (pages and downloads say "today", e.g. the latest date the as-of
    control offers).

    Found once a request, so that the middleware and the view agree even across midnight.
    get_host() checks ALLOWED_HOSTS: a request for another host never reaches a cached page
    (DisallowedHost, a 400), nor puts one there for others.
    """
    if not hasattr(request, "_stances_entity_tag"):
        parts = [
            request.build_absolute_uri(),
            *(request.headers.get(h, "") for h in VARIANT_HEADERS),
            timezone.localdate().isoformat(),
        ]
        variant = hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
        request._stances_entity_tag = f'"r{revisions.of_request(request).number}-{variant}"'
    return request._stances_entity_tag


def page_key(tag: str) -> str:
    return f"stances:page:{tag}"


@dataclass(frozen=True)
class StoredPage:
    """A response as it went out, with its body gzipped once, so that a hit costs no work."""

    tag: str
    content: bytes
    gzipped: bytes
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, response) -> "StoredPage":
        content = response.content
        headers = tuple((k, v) for k, v in response.items() if k.lower() != "content-length")
        tag = response["ETag"].removeprefix("W/")
        return cls(tag, content, compress_string(content), headers)

    def response(self, request) -> HttpResponse:
        if self.tag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            for header, value in self.headers:
                if header.lower() not in BODY_HEADERS:
                    response[header] = value
            return response
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        response = HttpResponse(self.gzipped if gzipped else self.content)
        for header, value in self.headers:
            response[header] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it alone
        response["Content-Length"] = str(len(response.content))
        return response
