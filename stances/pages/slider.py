"""The time slider on the map page: a range of days over the question's history, a tick at
each day something changed, and the steps to the previous and next change."""

import bisect
import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from stances.citing import long_date

# Ticks are drawn on a line 1000 units long; closer than this, two would look like one.
TICK_SPAN = 1000
TICK_GAP = 2


@dataclass(frozen=True)
class Slider:
    start: datetime.date  # the slider's first day: the first record (or the date shown, if earlier)
    end: datetime.date  # today
    day: datetime.date  # the date shown
    change_dates: Sequence[datetime.date]  # oldest first

    @classmethod
    def of(cls, change_dates, as_of, today) -> "Slider | None":
        """None when nothing is recorded yet: there is no history to move through."""
        if not change_dates:
            return None
        day = as_of or today
        return cls(min(change_dates[0], day), today, day, change_dates)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def value(self) -> int:
        return (self.day - self.start).days

    @property
    def day_text(self) -> str:
        return long_date(self.day)

    @property
    def ticks(self) -> list[float]:
        """Where each change date falls on a line TICK_SPAN long, neighbours merged."""
        return list(_ticks(self.start, self.days, tuple(self.change_dates)))

    @property
    def tick_path(self) -> str:
        """The ticks as one SVG path, a stroke down at each ("M0 0v10M100 0v10"): up to 500 of
        them, a quarter of the bytes of a <line> each, and no template loop on every render."""
        return _tick_path(self.start, self.days, tuple(self.change_dates))

    @property
    def previous(self) -> datetime.date | None:
        """The latest day before the one shown on which something changed."""
        index = bisect.bisect_left(self.change_dates, self.day)
        return self.change_dates[index - 1] if index else None

    @property
    def next(self) -> datetime.date | None:
        index = bisect.bisect_right(self.change_dates, self.day)
        return self.change_dates[index] if index < len(self.change_dates) else None


@functools.lru_cache(maxsize=64)
def _ticks(start: datetime.date, days: int, change_dates: tuple) -> tuple[float, ...]:
    ticks = []
    first, days = start.toordinal(), max(days, 1)
    for date in change_dates:
        x = round((date.toordinal() - first) / days * TICK_SPAN, 1)
        if not ticks or x - ticks[-1] >= TICK_GAP:
            ticks.append(x)
    return tuple(ticks)


@functools.lru_cache(maxsize=64)
def _tick_path(start: datetime.date, days: int, change_dates: tuple) -> str:
    # Kept per process: the same history draws the same ticks on every render until it grows.
    return "".join(f"M{x:g} 0v10" for x in _ticks(start, days, change_dates))
