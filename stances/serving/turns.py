"""One render of a page at a time, across every process (the shared cache holds the turn), and
under a stream of edits at most one a second.

When an editor saves, the revision moves and every cached page is a miss at once: exactly when
readers flood in. Without turns, each of them renders the same page. With them, the first miss
renders; the others are given the page of the revision before, if it stopped being current at
most STALE_SECONDS ago (its `Age` says how long), or else wait for the new one.

While editors save faster than a page can usefully change (a newsroom recording a summit's
outcome country by country), each save would still cost one render of every page readers
ask for. Once a page has been rendered twice within two intervals
(settings.PAGE_RENDER_INTERVAL_SECONDS, 1 s), it is rendered again only when its last render
is an interval old: readers get it fresh within that long, with its `Age`, and at five edits
a second a page costs about one render a second instead of five. A single edit after a quiet
spell still shows on the next request.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from stances import revisions, shared_cache

# How stale a page may be while its new revision is rendered: README, "fresh within 5 s".
STALE_SECONDS = 5
# Longer than any render; a worker that dies while it renders holds the turn no longer.
TURN_SECONDS = 10
POLL_SECONDS = 0.02
# Renders this many intervals apart or closer are part of one stream of edits. Two, not one:
# the render that ends a wait comes an interval and a little after the one before it, and must
# still count, or renders would come in pairs (about two a second at five edits a second).
STREAM_INTERVALS = 2
# A process that found a page being rendered elsewhere serves the page before, for this long,
# without asking the shared cache again (caching.stand_in): while editors save, most readers
# then cost what a cache hit costs, and the new page reaches them at most this much later.
ELSEWHERE_SECONDS = 0.05


@dataclass
class Turn:
    """Who renders what an address names now. `found`: the page if it was stored, else what
    the other keys asked for held when the turn was taken (a render that ended meanwhile may
    have stored the address's latest).
    `released`: the holder let it go with its page, in the same round trip."""

    key: str
    mine: bool
    found: dict
    released: bool = False

    @property
    def to_release(self) -> list[str]:
        """The key to delete with the page (shared_cache.write_many), then marked released."""
        return [self.key] if self.mine and not self.released else []


@contextmanager
def turn_to_render(key: str, page: str, also=()):
    """Yields a Turn, `mine` for the one caller that should render what `key` names now (an
    address, whichever its revision), not for the others nor when `page` (this revision's)
    is stored already; with what `page` held, or else the keys of `also`, found in the same
    round trip."""
    turn_key = key_of_turn(key)
    mine, found = shared_cache.take_turn_unless_stored(turn_key, 1, TURN_SECONDS, page, also)
    turn = Turn(turn_key, mine, found)
    try:
        yield turn
    finally:
        if turn.to_release:
            shared_cache.delete(turn.key)


def key_of_turn(key: str) -> str:
    return f"{key}:rendering"


def may_wait(page, now: float) -> bool:
    """Whether `page`, of an earlier revision, is served rather than rendered afresh: it is
    being re-rendered often (it came less than STREAM_INTERVALS intervals after the render
    before it) and its own render is younger than an interval."""
    interval = settings.PAGE_RENDER_INTERVAL_SECONDS
    previous = getattr(page, "previous_rendered_at", None)
    return (
        interval > 0
        and previous is not None
        and page.rendered_at - previous < STREAM_INTERVALS * interval
        and now - page.rendered_at < interval
    )


def wait_left(page, now: float) -> float:
    """How much longer `page` may be served instead of rendered (see may_wait)."""
    return max(0.0, page.rendered_at + settings.PAGE_RENDER_INTERVAL_SECONDS - now)


def wait_for(key: str, find, seconds: float = STALE_SECONDS):
    """What `find()` gives once the renderer holding the turn for `key` has stored it; None if
    the renderer ended without storing it (then the caller renders itself) or took longer than
    `seconds`."""
    turn = key_of_turn(key)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = find()
        if found is not None or shared_cache.get(turn) is None:
            return found if found is not None else find()
        time.sleep(POLL_SECONDS)
    return None


def staleness(page, revision, now: float) -> float:
    """Seconds since `page` stopped being current, at most.

    A page stopped being current when the revision after its own was made: the current one's
    time for a page of the revision just before, else the time this process heard for it
    (revisions.made_at). Without either, any page was current when it was rendered. One of
    this revision or a later one is current: a process may store a page of a revision that
    another process has yet to hear of.
    """
    if page.revision >= revision.number:
        return 0.0
    if page.revision == revision.number - 1:
        superseded = revision.changed_at
    else:
        superseded = revisions.made_at(page.revision + 1)
    if superseded is None:
        return max(0.0, now - page.rendered_at)
    return max(0.0, now - superseded.timestamp())
