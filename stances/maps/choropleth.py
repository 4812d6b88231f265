"""What the map draws for each member state: its outline, fill, marker and labels."""

from collections.abc import Iterable
from dataclasses import dataclass

from stances.citing import long_date
from stances.maps.mapsvg import EuropeMap

NO_RECORD_FILL = "url(#no-record)"
NOT_MEMBER_FILL = "url(#not-member)"
# Small enough to vanish at map scale: each also gets a circle readers can see and point at.
MARKER_RADIUS = 11


@dataclass(frozen=True)
class Marker:
    """A circle over a member state too small to see, point at or tap at map scale."""

    x: int
    y: int
    radius: int = MARKER_RADIUS


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str
    d: str
    fill: str
    position_label: str
    since: object  # a date, or None when nothing was recorded yet
    marker: Marker | None
    row: object
    joins_on: object = None  # its accession date, when it was not yet a member on the date
    move_number: int | None = None  # on a comparison: the number of its first move in the list
    label_at: tuple[int, int] = (0, 0)  # where a label goes: its marker, else its capital

    @property
    def description(self) -> str:
        if self.joins_on is not None:
            return f"{self.name}: not yet a member (joined {long_date(self.joins_on)})"
        if self.since is None:
            described = f"{self.name}: {self.position_label}"
        else:
            described = f"{self.name}: {self.position_label} since {long_date(self.since)}"
        if self.move_number:
            described += f"; moved between the two dates (move {self.move_number})"
        return described


def choropleth(rows: Iterable, europe: EuropeMap, moved=None) -> list[MapCountry]:
    """One entry per row (a member state with its position or None), in the rows' order.

    `moved` (code -> number) marks the member states that moved on a comparison.
    """
    moved = moved or {}
    countries = []
    for row in rows:
        code = row.member_state.code
        marker = europe.markers.get(code)
        fill, label = _fill_and_label(row)
        countries.append(
            MapCountry(
                code=code,
                name=row.member_state.name,
                d=europe.members[code],
                fill=fill,
                position_label=label,
                since=row.since,
                marker=Marker(*marker) if marker else None,
                row=row,
                joins_on=None if row.is_member else row.member_state.accession_date,
                move_number=moved.get(code),
                label_at=tuple(marker) if marker else europe.capitals[code],
            )
        )
    return countries


def _fill_and_label(row) -> tuple[str, str]:
    if not row.is_member:
        return NOT_MEMBER_FILL, "Not yet a member"
    if row.position is None:
        return NO_RECORD_FILL, "No record"
    return row.position.colour, row.position.label


@dataclass(frozen=True)
class LegendItem:
    count: object  # an overview.Count
    x: int
    y: int


def legend_layout(counts: Iterable, per_row: int = 3, column: int = 320, line: int = 34):
    """Where each legend entry goes in the downloadable SVG: rows of `per_row` entries."""
    return [
        LegendItem(count, (i % per_row) * column, (i // per_row) * line)
        for i, count in enumerate(counts)
    ]
