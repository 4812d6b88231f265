"""The Europe map as the map page draws it: read once from stances/data/europe.json."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from stances.maps import geo

MAP_FILE = Path(__file__).resolve().parent.parent / "data" / "europe.json"
MEMBERS_FILE = MAP_FILE.with_name("eu27.csv")


# eq=False: one map is one object (load_map reads it once), so it compares and hashes as
# itself, and what is worked out from it can be kept by it (choropleth's places).
@dataclass(frozen=True, eq=False)
class EuropeMap:
    """Geometry in SVG user units; see stances/maps/geo.py for how it was built."""

    width: int
    height: int
    members: Mapping[str, str]  # ISO alpha-2 code -> path `d`
    context: str  # every other country as one path `d`
    markers: Mapping[str, tuple[int, int]]  # small member states -> circle centre
    capitals: Mapping[str, tuple[int, int]]  # every member state -> its capital, for labels
    boxes: Mapping[str, tuple[int, int, int, int]]  # member state -> (xmin, ymin, xmax, ymax)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


@functools.cache
def load_map(path: Path = MAP_FILE) -> EuropeMap:
    document = json.loads(path.read_text(encoding="utf-8"))
    return EuropeMap(
        width=document["width"],
        height=document["height"],
        # Read-only views: the map is shared by every request once loaded.
        members=MappingProxyType(document["members"]),
        context=document["context"],
        markers=MappingProxyType({code: tuple(xy) for code, xy in document["markers"].items()}),
        capitals=MappingProxyType(capitals_on_map()),
        boxes=MappingProxyType({code: outline_box(d) for code, d in document["members"].items()}),
    )


def outline_box(d: str) -> tuple[int, int, int, int]:
    """The bounding box of a member state's outline, in map units."""
    return geo.bbox(point for ring in geo.path_rings(d) for point in ring)


def capitals_on_map() -> dict[str, tuple[int, int]]:
    """Each member state's capital in map units, projected as the outlines were."""
    capitals = {}
    for row in geo.read_members(MEMBERS_FILE):
        x, y = geo.to_map(float(row["capital_lon"]), float(row["capital_lat"]))
        capitals[row["iso2"]] = (round(x), round(y))
    return capitals
