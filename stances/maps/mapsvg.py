"""The Europe map as the map page draws it: read once from stances/data/europe.json."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

MAP_FILE = Path(__file__).resolve().parent.parent / "data" / "europe.json"


@dataclass(frozen=True)
class EuropeMap:
    """Geometry in SVG user units; see stances/maps/geo.py for how it was built."""

    width: int
    height: int
    members: Mapping[str, str]  # ISO alpha-2 code -> path `d`
    context: str  # every other country as one path `d`
    markers: Mapping[str, tuple[int, int]]  # small member states -> circle centre

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
    )
