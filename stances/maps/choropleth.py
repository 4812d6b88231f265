"""What the map draws for each member state: its outline, fill, marker and labels."""

from collections.abc import Iterable
from dataclasses import dataclass

from stances.citing import long_date
from stances.maps.mapsvg import EuropeMap

NO_RECORD_FILL = "url(#no-record)"
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

    @property
    def description(self) -> str:
        if self.since is None:
            return f"{self.name}: {self.position_label}"
        return f"{self.name}: {self.position_label} since {long_date(self.since)}"


def choropleth(rows: Iterable, europe: EuropeMap) -> list[MapCountry]:
    """One entry per row (a member state with its position or None), in the rows' order."""
    countries = []
    for row in rows:
        code, position = row.member_state.code, row.position
        marker = europe.markers.get(code)
        countries.append(
            MapCountry(
                code=code,
                name=row.member_state.name,
                d=europe.members[code],
                fill=position.colour if position else NO_RECORD_FILL,
                position_label=position.label if position else "No record",
                since=row.since,
                marker=Marker(*marker) if marker else None,
                row=row,
            )
        )
    return countries


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
