"""As-of resolution on a stance's timeline: which change holds on a date, and since when."""

import datetime
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """A change reduced to what the resolution needs, given in timeline order (oldest first)."""

    key: Hashable
    position: Hashable
    effective_on: datetime.date


def position_since(entries: Sequence[Entry]) -> dict[Hashable, datetime.date]:
    """For each entry, the date its position was first taken in the unbroken run it belongs to.

    A change that repeats the position already held (a new source, a reworded summary)
    does not reset "since"; a change to another position does.
    """
    since: dict[Hashable, datetime.date] = {}
    previous: Entry | None = None
    for entry in entries:
        if previous is not None and previous.position == entry.position:
            since[entry.key] = since[previous.key]
        else:
            since[entry.key] = entry.effective_on
        previous = entry
    return since


def since_after(
    last: Entry | None, last_since: datetime.date | None, entry: Entry
) -> datetime.date:
    """What position_since() gives `entry` when it comes after every other entry, `last` being
    the one it follows, in a run that began on `last_since`: only that entry matters."""
    if last is not None and last.position == entry.position:
        return last_since
    return entry.effective_on


def as_of(entries: Iterable[Entry], date: datetime.date) -> Entry | None:
    """The entry in force on `date`: the last one, in timeline order, taken on or before it."""
    current = None
    for entry in entries:
        if entry.effective_on <= date:
            current = entry
    return current


# A panel lists this many entries of a long timeline; the rest are a link away.
PANEL_ENTRIES = 25


def panel_window(newest_first: list, as_of, show_all: bool = False) -> tuple[list, int, int]:
    """The entries a country's panel lists, newest first, and how many later and earlier ones
    it leaves out. A timeline of up to PANEL_ENTRIES is listed whole; a longer one from just
    before the date shown (two later entries stay in sight, marked as after it) back.

    Each entry has an `effective_on`; `as_of` None is today.
    """
    if show_all or len(newest_first) <= PANEL_ENTRIES:
        return newest_first, 0, 0
    later = sum(1 for entry in newest_first if as_of and entry.effective_on > as_of)
    start = max(0, later - 2)
    shown = newest_first[start : start + PANEL_ENTRIES]
    return shown, start, len(newest_first) - start - len(shown)
