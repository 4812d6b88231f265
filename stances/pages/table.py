"""Sorting and filtering the table of the 27, as the query string asks."""

import datetime
from collections.abc import Sequence

from stances.reading.overview import NO_RECORD, NOT_MEMBER

SORTS = {
    "protocol": lambda row: row.member_state.protocol_order,
    "name": lambda row: row.member_state.name,
    "position": lambda row: (_position_order(row), row.member_state.name),
    "since": lambda row: (row.since or datetime.date.min, row.member_state.name),
}
SORT_LABELS = {"protocol": "EU order", "name": "Name", "position": "Position", "since": "Since"}


class BadTableRequest(ValueError):
    """The query string asks for a sort or filter that does not exist; the message says why."""


def arrange(rows: Sequence, sort: str = "", position: str = "", keys: Sequence[str] = ()):
    """The rows filtered to one position key ("none", "not-member"), then sorted ("-since":
    newest first)."""
    if position:
        if position not in (NO_RECORD, NOT_MEMBER) and position not in keys:
            choices = ", ".join([*keys, NO_RECORD, NOT_MEMBER])
            raise BadTableRequest(f"There is no position “{position}”. Choose one of: {choices}.")
        rows = [row for row in rows if row_key(row) == position]
    name = (sort or "protocol").removeprefix("-")
    if name not in SORTS:
        raise BadTableRequest(f"Cannot sort by “{sort}”. Choose one of: {', '.join(SORTS)}.")
    return sorted(rows, key=SORTS[name], reverse=sort.startswith("-"))


def row_key(row) -> str:
    if not row.is_member:
        return NOT_MEMBER
    return row.position.key if row.position else NO_RECORD


def _position_order(row) -> int:
    # Positions in their scale's order, then no record, then those not yet members.
    if row.position:
        return row.position.order
    return 10_000 if row.is_member else 10_001
