"""Public pages and data, cached on the data's revision and served before most of the stack.

`@public_page` says what may be shared: it gives the response validators taken from the
revision (ETag, Last-Modified), Cache-Control and Vary, and answers 304 when they match.
`PageCacheMiddleware`, just below WhiteNoise, keeps such a response exactly as it went out
(every middleware's headers included) and serves it again, or a 304, to the next anonymous
reader without sessions, users, CSRF or, on PostgreSQL, any database query while the revision
stands (stances/revisions.py). Any write raises the revision, so a page is a miss the moment it
is out of date; while one request renders the new page, the others get the one before for at
most a few seconds, with its `Age` (stances/serving/turns.py). Only the query parameters views
read are part of the key (stances/serving/queries.py). Signed-in people get pages rendered once
per revision and role, with their own name and token (stances/serving/signed_in_pages.py).
"""

import dataclasses
import hashlib
import time
from dataclasses import dataclass
from functools import partial, wraps

from django.conf import settings
from django.core.cache import caches
from django.db import Error as DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from isal import igzip

from stances import revisions, shared_cache
from stances.serving import queries, render_budget, signed_in_pages, turns

# Browsers revalidate at once (the ETag makes that cheap); a CDN may serve a page for a
# minute while a question is in the news, then revalidates too.
BROWSER_MAX_AGE = 0
SHARED_MAX_AGE = 60
# A proxy of our own (docs/nginx.conf) keeps a page until the end of the current second, then
# asks again in the background: nginx reads X-Accel-Expires before Cache-Control and does not
# pass it on. It counts whole seconds, so "1" would keep a page for one to two seconds and an
# edit could take over two to reach readers; "@<this second>" keeps it at most one.
CACHE_SECONDS = shared_cache.SECONDS
VARIANT_HEADERS = ("HX-Request", "HX-Target")
# As WSGI names them in request.META: read there, a hit does not build request.headers (a
# tenth of its time in Django).
VARIANT_META = tuple(f"HTTP_{name.upper().replace('-', '_')}" for name in VARIANT_HEADERS)
# A stored page is compressed once per revision, on the render's path, by ISA-L (isal): its
# level 3 made the map page's 99 KB into 25.5 KB in 0.23 ms, where zlib's level 4 took 1.06 ms
# for 24.1 KB (Django's level 6: 3.3 ms for 22.6 KB). The output is ordinary gzip.
GZIP_LEVEL = 3
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
        if request.method in ("GET", "HEAD"):
            queries.drop_unread(request)
        shared = same_for_everyone or not request.user.is_authenticated
        if request.method not in ("GET", "HEAD") or not shared:
            if signed_in_pages.may_share(request):
                tag = entity_tag(request)
                response = signed_in_pages.serve(request, view, tag, *args, **kwargs)
            else:
                response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        current = revisions.of_request(request)
        tag = entity_tag(request)
        if tag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = rendered_within_budget(request, view, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            response.page_cache_key = page_key(tag)  # for PageCacheMiddleware to keep
        # Weak: the same page goes out gzipped or not, byte for byte different.
        response["ETag"] = f"W/{tag}"
        response["Last-Modified"] = http_date(current.changed_at.timestamp())
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=SHARED_MAX_AGE)
        response["X-Accel-Expires"] = proxy_expiry()
        patch_vary_headers(response, ["Cookie", "Accept-Encoding", *VARIANT_HEADERS])
        return response

    wrapper.stances_public = True  # for PageCacheMiddleware: its misses take turns to render
    return wrapper


def rendered_within_budget(request, view, *args, **kwargs):
    """The view's answer, its time counted against the client's share (render_budget), or a
    429 once that is spent. Signed-in people are not counted."""
    if request.user.is_authenticated:
        return view(request, *args, **kwargs)
    if (wait := render_budget.seconds_to_wait(request)) is not None:
        return render_budget.refusal(request, wait)
    started = time.thread_time()
    try:
        return view(request, *args, **kwargs)
    finally:
        render_budget.charge(request, time.thread_time() - started)


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
        local = caches["local"]
        stored = local.get(key)
        if stored is not None:
            return stored.response(request)
        public = request.method == "GET" and is_public(request)
        latest_at = latest_key(request)
        if not public:
            stored = shared_page(key, latest_at)  # this process's memory was asked above
            return stored.response(request) if stored is not None else self.render(request, key)
        latest = local.get(latest_at)
        if (waiting := self.latest_while_edits_stream(request, key, latest)) is not None:
            return waiting
        # The page if another process stored it, else the turn to render it and the address's
        # latest: one round trip. One render of an address at a time, whichever its revision:
        # a render for the next edit started while this one runs would come straight after
        # it, not an interval later.
        with turns.turn_to_render(latest_at, key, also=[latest_at]) as turn:
            if (stored := turn.found.get(key)) is not None:
                keep_in_memory(key, stored, latest_at)
                return stored.response(request)
            if turn.mine:
                return self.render_in_turn(request, key, latest, turn)
        return self.while_rendered(request, key) or self.render(request, key)

    def latest_while_edits_stream(self, request, key, latest):
        """The latest page of this address while edits stream in (turns.may_wait): a page is
        then rendered at most once an interval, and until then this process serves its latest
        without asking the shared cache, even whether another process has rendered the page
        since. None when this page is to be rendered."""
        if latest is None or not turns.may_wait(latest, now := time.time()):
            return None
        age = turns.staleness(latest, revisions.of_request(request), now)
        return stand_in(request, key, latest, age, turns.wait_left(latest, now))

    def render_in_turn(self, request, key, latest, turn):
        """Render the page, unless another render of this address ended lately (`turn.found`
        says what was stored when the turn was taken) and edits stream in: then that page."""
        latest_at = latest_key(request)
        newest = turn.found.get(latest_at)
        if newest is not None and (latest is None or newest.rendered_at > latest.rendered_at):
            caches["local"].set(latest_at, newest, CACHE_SECONDS)
            latest = newest
        if (waiting := self.latest_while_edits_stream(request, key, latest)) is not None:
            return waiting
        return self.render(request, key, before=latest, turn=turn)

    def render(self, request, key, before=None, turn=None):
        """`before`: the latest page of this address, which the new one replaces. What the
        shared cache is told afterwards goes in one round trip: the page, under its revision's
        key and as its address's latest (which every process must see: while_rendered()), the
        turn's release and the render's charge against the client's budget (render_budget)."""
        with render_budget.collecting(request) as charges:
            response = self.get_response(request)
        page = None
        if getattr(response, "page_cache_key", None) == key and storable(request, response):
            page = StoredPage.of(
                response,
                revisions.of_request(request).number,
                previous_rendered_at=before.rendered_at if before is not None else None,
            )
        latest = latest_key(request)
        counts = shared_cache.write_many(
            {key: page, latest: page} if page is not None else {},
            delete=turn.to_release if turn is not None else (),
            counts=[charge.counter for charge in charges],
        )
        if turn is not None:
            turn.released = True
        for charge, spent in zip(charges, counts or [None] * len(charges), strict=True):
            charge.settle(spent)
        if page is None:
            return response
        keep_in_memory(key, page, latest)
        # Compressed already: GZipMiddleware need not again; unpacked for a client that does
        # not take gzip from the body just rendered, not the stored one.
        return page.response(request, content=response.content)

    def while_rendered(self, request, key):
        """Another request renders this page: the one before if it is recent, else the new one
        when it is ready (None if it never is: then this request renders it too).

        The one before comes from this process's memory when it served that page, as it
        usually did: while editors save, a reader then costs one small lookup in the shared
        cache (the new page, or the turn), not a copy of the whole page from it as well; and
        for a moment (turns.ELSEWHERE_SECONDS) the next readers none at all (stand_in).
        """
        previous, age = self.previous_page(request)
        if previous is not None:
            return stand_in(request, key, previous, age, turns.ELSEWHERE_SECONDS)
        latest, since = latest_key(request), time.time()
        stored = turns.wait_for(latest, lambda: stored_page(key, latest))
        if stored is None:
            # The turn is the address's, so the render that just ended may be of another
            # revision than this request's (another process may have heard of an edit sooner,
            # or later): whatever it stored is what this reader gets, not a render of its own
            # after waiting, which under a stream of edits made readers wait twice. Looked at
            # once the turn is free, not at every poll: it is a whole page.
            newest = shared_cache.get(latest)
            if newest is None or newest.rendered_at < since:
                return None
            stored = newest
        current = revisions.of_request(request)
        if stored.revision == current.number:
            return stored.response(request)
        return stored.response(request, age=turns.staleness(stored, current, time.time()))

    def previous_page(self, request):
        """The page this address had before and its age, if it stopped being current recently
        enough; from this process's memory, else from the shared cache. (None, None) if
        neither has one."""
        latest = latest_key(request)
        for find in (caches["local"].get, shared_cache.get):
            previous = find(latest)
            if previous is not None:
                age = turns.staleness(previous, revisions.of_request(request), time.time())
                if age <= turns.STALE_SECONDS:
                    return previous, age
        return None, None


def stand_in(request, key, page, age: float, seconds: float):
    """`page`, of an earlier revision, served in place of the page `key` names while that one
    is rendered; kept under `key` in this process's memory for `seconds`, so that the next
    readers cost what a hit costs (a miss took half as much time again, in its lookups of the
    address and of its latest page). Its `Age` grows from `age` as it is served."""
    stale = dataclasses.replace(page, stale_since=time.time() - age)
    caches["local"].set(key, stale, seconds)
    return stale.response(request)


def fresh_expiry(response):
    """A stored page's answer with the proxy's expiry of this moment (see proxy_expiry)."""
    if response.has_header("X-Accel-Expires"):
        response["X-Accel-Expires"] = proxy_expiry()
    return response


def proxy_expiry() -> str:
    """X-Accel-Expires for this moment: to the end of the current second. Written again each
    time a stored page goes out, as an absolute time kept from its render would be past."""
    return f"@{int(time.time())}"


def is_public(request) -> bool:
    """Whether the address is one of @public_page's (only their misses take turns)."""
    try:
        return getattr(resolve(request.path_info).func, "stances_public", False)
    except Resolver404:
        return False


def stored_page(key: str, latest: str) -> "StoredPage | None":
    """From this process's memory, else from the shared cache (Redis in production).

    A copy in memory is never stale either: the key names the revision.
    """
    return caches["local"].get(key) or shared_page(key, latest)


def shared_page(key: str, latest: str) -> "StoredPage | None":
    """From the shared cache, kept in this process's memory from then on."""
    stored = shared_cache.get(key)
    if stored is not None:
        keep_in_memory(key, stored, latest)
    return stored


def keep_in_memory(key: str, page: "StoredPage", latest: str) -> None:
    """In this process: the page under its revision's key, and as the latest of its address."""
    caches["local"].set_many({key: page, latest: page}, CACHE_SECONDS)


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
        number = revisions.of_request(request).number
        request._stances_entity_tag = f'"r{number}-{variant(request)}"'
    return request._stances_entity_tag


def variant(request) -> str:
    """Which page this is, whatever the revision: its language too (an address without a
    prefix may be in another language for ?lang=, or a redirect to one)."""
    if not hasattr(request, "_stances_variant"):
        query = queries.canonical(request.META.get("QUERY_STRING", ""))
        parts = [
            f"{request.scheme}://{request.get_host()}{request.path}?{query}",
            translation.get_language() or "",
            *(request.META.get(name, "") for name in VARIANT_META),
            timezone.localdate().isoformat(),
        ]
        digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
        request._stances_variant = digest
    return request._stances_variant


def page_key(tag: str) -> str:
    return f"stances:page:{tag}"


def latest_key(request) -> str:
    """The last page stored for this address, of whichever revision."""
    return f"stances:latest:{variant(request)}"


@dataclass(frozen=True)
class StoredPage:
    """A response as it went out, its body gzipped once, so that a hit costs no work.

    Only the gzipped body is kept, a quarter of the page or less: it is what nearly every
    reader asks for, and what each process copies from the shared cache after an edit. A
    client that does not take gzip gets it unpacked (0.2 ms for the map page).
    """

    tag: str
    gzipped: bytes
    headers: tuple[tuple[str, str], ...]
    revision: int
    rendered_at: float
    # When the page it replaced was rendered (None: the first, or long gone): turns.may_wait.
    previous_rendered_at: float | None = None
    # When it stopped being current, for a stand-in for a later revision's page (stand_in).
    stale_since: float | None = None

    @classmethod
    def of(cls, response, revision: int, previous_rendered_at=None) -> "StoredPage":
        content = response.content
        headers = tuple((k, v) for k, v in response.items() if k.lower() != "content-length")
        tag = response["ETag"].removeprefix("W/")
        gzipped = igzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)
        return cls(tag, gzipped, headers, revision, time.time(), previous_rendered_at)

    @property
    def content(self) -> bytes:
        return igzip.decompress(self.gzipped)

    def response(self, request, age: float | None = None, content=None) -> HttpResponse:
        """`content`: the page unpacked, when the caller has it at hand."""
        response = self.body_response(request, content)
        if age is None and self.stale_since is not None:
            age = max(0.0, time.time() - self.stale_since)
        if age is not None:
            response["Age"] = str(int(age))  # how long ago, at most, this stopped being current
        return response

    def body_response(self, request, content=None) -> HttpResponse:
        if self.tag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            response = HttpResponseNotModified()
            for header, value in self.headers:
                if header.lower() not in BODY_HEADERS:
                    response[header] = value
            return fresh_expiry(response)
        gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        response = HttpResponse(self.gzipped if gzipped else content or self.content)
        for header, value in self.headers:
            response[header] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it alone
        response["Content-Length"] = str(len(response.content))
        return fresh_expiry(response)
