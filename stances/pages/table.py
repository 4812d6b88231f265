"""Sorting and filtering the table of the 27, as the query string asks."""

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from stances.languages.country_names import sort_key
from stances.reading.overview import NO_RECORD, NOT_MEMBER


def _name(row) -> tuple:
    """The member state's name as the table shows it (in the reader's language), in Unicode's
    collation order: accents and case do not split the alphabet ("Österreich" sorts with the
    O's), Greek and Cyrillic names in their alphabets' order."""
    return sort_key(row.member_state.local_name)


SORTS = {
    "protocol": lambda row: row.member_state.protocol_order,
    "name": _name,
    "position": lambda row: (_position_order(row), _name(row)),
    "since": lambda row: (row.since or datetime.date.min, _name(row)),
}
SORT_LABELS = {
    # Translators: a sort order of the table: the member states in the EU's protocol order.
    "protocol": gettext_lazy("EU order"),
    "name": gettext_lazy("Name"),
    "position": gettext_lazy("Position"),
    "since": pgettext_lazy("table column: the day a position was taken", "Since"),
}


class BadTableRequest(ValueError):
    """The query string asks for a sort or filter that does not exist; the message says why."""


def arrange(rows: Sequence, sort: str = "", position: str = "", keys: Sequence[str] = ()):
    """The rows filtered to one position key ("none", "not-member"), then sorted ("-since":
    newest first)."""
    if position:
        if position not in (NO_RECORD, NOT_MEMBER) and position not in keys:
            choices = ", ".join([*keys, NO_RECORD, NOT_MEMBER])
            raise BadTableRequest(
                # Translators: %(position)s is what the address asked for, %(choices)s the
                # position keys it may name (keep them as they are).
                _("There is no position “%(position)s”. Choose one of: %(choices)s.")
                % {"position": position, "choices": choices}
            )
        rows = [row for row in rows if row_key(row) == position]
    name = (sort or "protocol").removeprefix("-")
    if name not in SORTS:
        raise BadTableRequest(
            # Translators: %(sort)s is what the address asked for, %(choices)s the sort orders
            # it may name (keep them as they are).
            _("Cannot sort by “%(sort)s”. Choose one of: %(choices)s.")
            % {"sort": sort, "choices": ", ".join(SORTS)}
        )
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
