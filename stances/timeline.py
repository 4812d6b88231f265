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


def as_of(entries: Iterable[Entry], date: datetime.date) -> Entry | None:
    """The entry in force on `date`: the last one, in timeline order, taken on or before it."""
    current = None
    for entry in entries:
        if entry.effective_on <= date:
            current = entry
    return current
