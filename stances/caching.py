"""Public pages cached and revalidated on the data's revision; signed-in users always fresh."""

import hashlib
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from stances.models import MemberState, Revision

# Browsers revalidate at once (the ETag makes that cheap); a CDN may serve a page for a
# minute while a question is in the news, then revalidates too.
BROWSER_MAX_AGE = 0
SHARED_MAX_AGE = 60
CACHE_SECONDS = 600
VARIANT_HEADERS = ("HX-Request", "HX-Target")


def revision(request) -> Revision:
    """The revision for this request, read once (one small query)."""
    if not hasattr(request, "_stances_revision"):
        request._stances_revision = Revision.current()
    return request._stances_revision


def member_states(request) -> list[MemberState]:
    """The 27, from the cache while the revision stands (they change about once a year)."""
    key = f"stances:member-states:{revision(request).number}"
    return cache.get_or_set(key, lambda: list(MemberState.objects.all()), CACHE_SECONDS)


def public_page(view):
    """Serve anonymous GETs from the cache, keyed on the revision, with ETag and 304s."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        current = revision(request)
        tag = f'"r{current.number}-{variant(request)}"'
        if tag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            key = f"stances:page:{tag}"
            stored = cache.get(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                if not cacheable(request, response):
                    return response
                stored = StoredPage.of(response)
                cache.set(key, stored, CACHE_SECONDS)
            response = stored.response(accepts_gzip(request))
        # Weak: the same page goes out gzipped or not, byte for byte different.
        response["ETag"] = f"W/{tag}"
        response["Last-Modified"] = http_date(current.changed_at.timestamp())
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=SHARED_MAX_AGE)
        patch_vary_headers(response, ["Cookie", "Accept-Encoding", *VARIANT_HEADERS])
        return response

    return wrapper


@dataclass(frozen=True)
class StoredPage:
    """A rendered page kept with its gzipped body, so that a hit costs no compression."""

    content: bytes
    gzipped: bytes
    headers: tuple[tuple[str, str], ...]  # as the view set them, e.g. Content-Disposition

    @classmethod
    def of(cls, response) -> "StoredPage":
        content = response.content
        headers = tuple((k, v) for k, v in response.items() if k.lower() != "content-length")
        return cls(content, compress_string(content), headers)

    def response(self, gzipped: bool) -> HttpResponse:
        response = HttpResponse(self.gzipped if gzipped else self.content)
        for header, value in self.headers:
            response[header] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it alone
        return response


def accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def variant(request) -> str:
    """What, besides the revision, the page depends on: its URL and the htmx fragment asked."""
    parts = [request.get_full_path(), *(request.headers.get(h, "") for h in VARIANT_HEADERS)]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()


def cacheable(request, response) -> bool:
    # A page that set a cookie or showed a flash message belongs to one visitor only.
    return (
        response.status_code == 200
        and not response.cookies
        and "messages" not in request.COOKIES
        and not getattr(response, "streaming", False)
    )
