"""Sorting and filtering the table of the 27, as the query string asks."""

import datetime
from collections.abc import Sequence

NO_RECORD = "none"

SORTS = {
    "protocol": lambda row: row.member_state.protocol_order,
    "name": lambda row: row.member_state.name,
    "position": lambda row: (row.position.order if row.position else 10_000, row.member_state.name),
    "since": lambda row: (row.since or datetime.date.min, row.member_state.name),
}
SORT_LABELS = {"protocol": "EU order", "name": "Name", "position": "Position", "since": "Since"}


class BadTableRequest(ValueError):
    """The query string asks for a sort or filter that does not exist; the message says why."""


def arrange(rows: Sequence, sort: str = "", position: str = "", keys: Sequence[str] = ()):
    """The rows filtered to one position key (or "none"), then sorted ("-since": newest first)."""
    if position:
        if position != NO_RECORD and position not in keys:
            choices = ", ".join([*keys, NO_RECORD])
            raise BadTableRequest(f"There is no position “{position}”. Choose one of: {choices}.")
        rows = [
            row for row in rows if (row.position.key if row.position else NO_RECORD) == position
        ]
    name = (sort or "protocol").removeprefix("-")
    if name not in SORTS:
        raise BadTableRequest(f"Cannot sort by “{sort}”. Choose one of: {', '.join(SORTS)}.")
    return sorted(rows, key=SORTS[name], reverse=sort.startswith("-"))
