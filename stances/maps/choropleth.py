"""What the map draws for each member state: its outline, fill, marker and labels."""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from stances.citing import long_date
from stances.maps.mapsvg import EuropeMap

NO_RECORD_FILL = "url(#no-record)"
NOT_MEMBER_FILL = "url(#not-member)"
# Small enough to vanish at map scale: each also gets a circle readers can see and point at,
# 42 units across: 24 CSS px once the map is 600 px wide.
MARKER_RADIUS = 21
# Outlines narrower or lower than this (map units) also get a dark border, to be seen at all.
HARD_TO_SEE = 20

# A touch target must be 24 CSS px each way (WCAG 2.2, 2.5.8). The map is drawn 272 px wide on
# the narrowest screen served (320 px less the page's margins) and at least 600 px wide on a
# desktop. A member state whose target (its outline and its circle) is smaller than 24 px at
# 272 px gets a button in the inset under the map on narrow maps; smaller than 24 px at 600 px,
# on every map. static/stances/site.css hides the narrow ones from 600 px (37.5rem) up.
TARGET_PX = 24
NARROWEST_MAP_PX = 272
WIDE_MAP_PX = 600
INSET_ALWAYS = "always"
INSET_NARROW = "narrow"


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
    inset: str = ""  # INSET_ALWAYS or INSET_NARROW: it also gets a button under the map
    hard_to_see: bool = False

    @property
    def local_name(self) -> str:
        """The member state's name in the reader's language (`name` is the English one)."""
        return self.row.member_state.local_name

    @functools.cached_property
    def description(self) -> str:
        """What a reader hears or sees for it, in the active language: "Malta: Undecided since
        1 March 2024"."""
        name = self.local_name
        if self.joins_on is not None:
            # Translators: a member state on the map on a date before it joined the EU.
            return _("%(name)s: not yet a member (joined %(date)s)") % {
                "name": name,
                "date": long_date(self.joins_on),
            }
        if self.since is None:
            # Translators: a member state on the map and its position, e.g. "Malta: No record".
            described = _("%(name)s: %(position)s") % {
                "name": name,
                "position": self.position_label,
            }
        else:
            # Translators: a member state on the map, its position and since when.
            described = _("%(name)s: %(position)s since %(date)s") % {
                "name": name,
                "position": self.position_label,
                "date": long_date(self.since),
            }
        if self.move_number:
            # Translators: on a comparison of two dates, a member state whose position changed;
            # %(description)s is what the map says of it, e.g. "Malta: Supports since 1 March 2024".
            described = _("%(description)s; moved between the two dates (move %(number)s)") % {
                "description": described,
                "number": self.move_number,
            }
        return described


def choropleth(rows: Iterable, europe: EuropeMap, moved=None) -> list[MapCountry]:
    """One entry per row (a member state with its position or None), in the rows' order.

    `moved` (code -> number) marks the member states that moved on a comparison.
    """
    moved = moved or {}
    placed = _placed(europe)
    countries = []
    for row in rows:
        code = row.member_state.code
        place = placed[code]
        fill, label = _fill_and_label(row)
        countries.append(
            MapCountry(
                code=code,
                name=row.member_state.name,
                d=place.d,
                fill=fill,
                position_label=label,
                since=row.since,
                marker=place.marker,
                row=row,
                joins_on=None if row.is_member else row.member_state.accession_date,
                move_number=moved.get(code),
                label_at=place.label_at,
                inset=place.inset,
                hard_to_see=place.hard_to_see,
            )
        )
    return countries


@dataclass(frozen=True)
class Place:
    """Where a member state sits on the map, whatever it holds: its outline, its circle if it
    is small, where its label goes, and whether it needs a button under the map."""

    d: str
    marker: Marker | None
    label_at: tuple[int, int]
    inset: str
    hard_to_see: bool


# Worked out once per map and process (the map is loaded once: stances/maps/mapsvg.py): the
# geometry does not change with the records.
@functools.cache
def _placed(europe: EuropeMap) -> dict[str, Place]:
    return {code: _place(europe, code) for code in europe.members}


def _place(europe: EuropeMap, code: str) -> Place:
    marker = Marker(*europe.markers[code]) if code in europe.markers else None
    box = _target_box(europe.boxes[code], marker)
    return Place(
        d=europe.members[code],
        marker=marker,
        label_at=(marker.x, marker.y) if marker else europe.capitals[code],
        inset=_inset(box, europe.width),
        hard_to_see=marker is None and _shorter_side(box) < HARD_TO_SEE,
    )


def _target_box(outline, marker):
    if marker is None:
        return outline
    r = marker.radius
    x0, y0, x1, y1 = outline
    return (
        min(x0, marker.x - r),
        min(y0, marker.y - r),
        max(x1, marker.x + r),
        max(y1, marker.y + r),
    )


def _shorter_side(box) -> float:
    return min(box[2] - box[0], box[3] - box[1])


def _inset(box, map_width: int) -> str:
    """Whether a member state needs a button under the map to be tapped, and on which maps."""
    side_px_at = _shorter_side(box) / map_width  # its shorter side, per pixel of map width
    if side_px_at * WIDE_MAP_PX < TARGET_PX:
        return INSET_ALWAYS
    if side_px_at * NARROWEST_MAP_PX < TARGET_PX:
        return INSET_NARROW
    return ""


def _fill_and_label(row) -> tuple[str, str]:
    """The fill and the position's words, in the active language."""
    if not row.is_member:
        return NOT_MEMBER_FILL, _("Not yet a member")
    if row.position is None:
        return NO_RECORD_FILL, _("No record")
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
