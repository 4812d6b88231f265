"""A member state's timeline on a question as its side panel shows it: every entry counted,
only the listed ones read whole.

A long timeline (about 500 entries at 100,000 changes) used to come as model instances, each
with its stance, the stance's confirming source and the editor who recorded it: 2,000 objects
and most of an editor's save. Now every entry is read as its key and date, which is all the
panel's window and counts need, and the 25 it lists (stances/timeline.py, PANEL_ENTRIES) in
full.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F

from stances.models import MemberState, Question, StanceChange
from stances.timeline import panel_window

# What the panel shows of a listed entry besides the change: whether (and by which source) an
# editor confirmed the stance still holds, and who recorded it, by name only: no user row (its
# password hash included) is read for a panel.
PANEL_RELATED = ("stance", "stance__checked_source")


def with_panel_fields(changes):
    """`changes` (a queryset) with what the panel shows of each, besides the change itself."""
    return changes.select_related(*PANEL_RELATED).annotate(
        recorded_by_name=F("recorded_by__username")
    )


@dataclass(frozen=True)
class Unlisted:
    """An entry the panel counts but does not list."""

    pk: int
    effective_on: datetime.date


@dataclass
class CountryTimeline:
    changes: list  # every entry, newest first: a StanceChange if listed, else Unlisted
    shown: list[StanceChange]  # the listed ones, newest first
    later: int  # entries left out after the listed ones
    earlier: int  # and before them


def entries_of(question: Question, member_state: MemberState) -> list[Unlisted]:
    """Every entry of the timeline, newest first, as key and date: one query."""
    rows = StanceChange.objects.timeline_of(question, member_state).values_list(
        "pk", "effective_on"
    )
    return [Unlisted(pk, day) for pk, day in rows]


def listed_keys(entries: list[Unlisted], as_of, show_all: bool) -> list[int]:
    """The keys of the entries the panel lists (all of them with `show_all`)."""
    shown, _later, _earlier = panel_window(entries, as_of, show_all)
    return [entry.pk for entry in shown]


def filled(entries: list[Unlisted], listed: dict, as_of, show_all: bool) -> CountryTimeline:
    """The timeline with its listed entries replaced by their changes (`listed`, by key)."""
    shown, later, earlier = panel_window(entries, as_of, show_all)
    changes = [listed[entry.pk] for entry in shown]
    every = [*entries[:later], *changes, *entries[later + len(changes) :]]
    return CountryTimeline(every, changes, later, earlier)


def country_timeline(question, member_state, positions, as_of, show_all) -> CountryTimeline:
    """The panel's timeline on its own (the panel alone, for htmx): two queries, the entries'
    sources not included."""
    entries = entries_of(question, member_state)
    keys = listed_keys(entries, as_of, show_all)
    listed = with_panel_fields(StanceChange.objects.filter(pk__in=keys)).in_bulk()
    by_pk = {p.pk: p for p in positions}
    for change in listed.values():
        change.position = by_pk[change.position_id]
    return filled(entries, listed, as_of, show_all)
