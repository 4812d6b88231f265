"""Each reader's share of the time the site spends rendering.

A cached answer costs next to nothing; a render costs from 10 ms (the map page) to over a
second (a question's whole timeline as CSV at 100,000 changes). Addresses that take values
(two dates to compare, the day of a share image, the API's filters and pages) can be asked
with values nobody asked before, and each such answer is a render: one client could keep
every worker rendering while the readers of the map page wait.

So each client (its address; for IPv6 its /64, which one subscriber holds whole) has
RENDER_BUDGET_SECONDS of rendering in each window of RENDER_BUDGET_WINDOW_SECONDS, counted
as the processor time of the thread that renders (time spent waiting for the database or for
another thread is not the client's doing). Past it, its renders get a 429 with Retry-After
until the window ends, while answers already cached still reach it. A person reading, even a
newsroom behind one address, renders a few pages a minute; a crawler of distinct addresses
renders hundreds. The count is kept in the shared cache, so across every process (a process
learns that a client went over from the count its own next render of it brings back); while
that is away, nobody is counted (it is a speed-up, never a need). Signed-in people are never
counted: editors must be able to work through a spike.
"""

import ipaddress
import logging
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import format_html
from django.utils.translation import gettext as _
from redis import RedisError

from stances import shared_cache
from stances.clients import client_address
from stances.rate_limits import hashed

logger = logging.getLogger(__name__)


def client_key(request) -> str:
    """Who is counted: the client's address, or its /64 for IPv6, hashed (no address is kept
    in the clear). An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is itself."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        if parsed.version == 6 and parsed.ipv4_mapped is not None:
            parsed = parsed.ipv4_mapped
        network = str(parsed)
        if parsed.version == 6:
            network = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return hashed(network)


def _window(now: float) -> tuple[int, float]:
    """The current window's number and the seconds left in it."""
    length = settings.RENDER_BUDGET_WINDOW_SECONDS
    number = int(now // length)
    return number, (number + 1) * length - now


def _key(client: str, window: int) -> str:
    return f"stances:render-budget:{client}:{window}"


# Clients this process has seen go over, by key: the window in which they did. Asking the
# shared cache before each render cost a round trip; this way a client that went over in
# another process gets at most one more render here in that window (its count comes back
# with that render's).
_over: dict[str, int] = {}
_OVER_SIZE = 10_000


def seconds_to_wait(request) -> int | None:
    """None while the client may have a render; else how long until its next window."""
    if not settings.RENDER_BUDGET_SECONDS:
        return None
    window, left = _window(time.time())
    if _over.get(client_key(request)) != window:
        return None
    return max(1, math.ceil(left))


@dataclass(frozen=True)
class Charge:
    """A render's processor time, owed by its client in the current window."""

    client: str
    window: int
    milliseconds: int

    @property
    def counter(self) -> tuple[str, int, int]:
        """As shared_cache.count() and write_many() take it: key, amount, seconds to live."""
        seconds = settings.RENDER_BUDGET_WINDOW_SECONDS + 5
        return _key(self.client, self.window), self.milliseconds, seconds

    def settle(self, spent: int | None) -> None:
        """Note the client as over once its count with this charge, `spent`, reaches the
        budget (None: the shared cache was away, so nothing was counted)."""
        if spent is None or spent < settings.RENDER_BUDGET_SECONDS * 1000:
            return
        if len(_over) >= _OVER_SIZE:  # a crowd of clients over: keep only this window's
            # list() copies the items at once (no other thread runs meanwhile), so the loop
            # does not meet a dict that another thread changed.
            for key, seen in list(_over.items()):
                if seen != self.window:
                    _over.pop(key, None)
        _over[self.client] = self.window


# The request's attribute where PageCacheMiddleware collects its render's charges, to send
# them with the page it stores, in one round trip (collecting()).
COLLECTED = "_stances_render_charges"


def charge(request, seconds: float) -> None:
    """Count a render of `seconds` (processor time) against the client's window: now, or
    with the page when the request's charges are being collected."""
    if not settings.RENDER_BUDGET_SECONDS:
        return
    due = Charge(client_key(request), _window(time.time())[0], max(1, round(seconds * 1000)))
    collected = getattr(request, COLLECTED, None)
    if collected is not None:
        collected.append(due)
        return
    try:
        spent = shared_cache.count(*due.counter)
    except RedisError as error:
        logger.warning("Cache unavailable, render not counted: %s", error)
        return
    due.settle(spent)


@contextmanager
def collecting(request):
    """While in it, the request's charges are kept in the list it gives, for the caller to
    count (as counters of shared_cache.write_many) and settle."""
    collected = []
    setattr(request, COLLECTED, collected)
    try:
        yield collected
    finally:
        delattr(request, COLLECTED)


def forget_clients_over() -> None:
    """For tests, which all come from one address."""
    _over.clear()


def refusal(request, wait: int) -> HttpResponse:
    """The 429, in the form the address answers in: JSON for the API and JSON downloads, a
    line of text for other files, a fragment for htmx, else a page; Retry-After says when."""
    message = _(
        "This address has asked for more new pages in the last minute than Stances renders "
        "for one reader. Pages others have opened already still load; new ones will again "
        "within a minute."
    )
    path = request.path
    if path.startswith("/api/") or path.endswith(".json"):
        response = JsonResponse({"error": message}, status=429)
    elif path.rsplit("/", 1)[-1].count("."):  # a file: CSV, PNG, SVG, Atom
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    elif request.headers.get("HX-Request") == "true":
        response = HttpResponse(
            format_html('<p class="form-errors" role="alert">{}</p>', message), status=429
        )
    else:
        page = loader.render_to_string("429.html", {"message": message}, request)
        response = HttpResponse(page, status=429)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response
