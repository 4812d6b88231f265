"""Builds the Europe map file (stances/data/europe.json) from world-atlas TopoJSON, once.

The input is Natural Earth 1:50m admin-0 countries as TopoJSON (npm package world-atlas 2.x,
`countries-50m.json`; feature ids are ISO 3166-1 numeric strings such as "348"). The output is
a small JSON document that the map page renders inline, with no map library:

    {
      "source": "...", "projection": "...",
      "width": 1000, "height": 1002,           # SVG user units; the viewBox is 0 0 width height
      "members": {"BE": "<path d>", ...},      # the 27, keyed by ISO alpha-2 (GR for Greece)
      "context": "<path d>",                   # every other country, one path, drawn grey
      "markers": {"MT": [x, y], "CY": [x, y]}   # capitals of the smallest islands
    }

Each path is a list of closed rings written as `m dx dy dx dy ... z`: relative moves and lines
in integer units. Holes (Italy around San Marino and the Vatican) wind the other way, so both
fill rules draw them.
"""

from __future__ import annotations

import csv
import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

Point = tuple[float, float]
Ring = list[Point]

SOURCE = (
    "Natural Earth 1:50m admin 0 countries (v4.1.0) via world-atlas 2.x; public domain "
    "(Natural Earth), ISC (world-atlas, Mike Bostock)"
)
PROJECTION = (
    "EPSG:3035 ETRS89-LAEA, Lambert azimuthal equal-area centred on 52N 10E "
    "(spherical, authalic radius), scaled to map units with y pointing down"
)

WIDTH = 1000
# The frame in projected metres (xmin, ymin, xmax, ymax): Iceland and Portugal on the left,
# Cyprus and some of Turkey and Russia on the right, the North Cape at the top and a strip of
# North Africa at the bottom.
FRAME = (-1_820_000.0, -1_900_000.0, 2_320_000.0, 2_250_000.0)
# Rings are cut a few units beyond the frame, so the cut edges are never inside the viewBox.
CLIP_MARGIN = 4
# Visvalingam effective area, in square map units, below which a vertex is dropped.
SIMPLIFY_AREA = 1.0
# Rings smaller than this (square map units) are dropped: specks nobody can see or click.
MIN_RING_AREA = 1.0

# Only polygons reaching into this lon/lat box are projected at all: it keeps points near the
# projection's antipode (where it blows up) out of the arithmetic.
NEAR_EUROPE = (-40.0, 20.0, 80.0, 85.0)
# Outermost regions that the frame would still reach; the map shows the 27 in Europe.
LEFT_OUT = {
    "Azores": (-32.0, 36.0, -24.0, 40.5),
    "Madeira": (-17.5, 32.0, -16.0, 33.5),
    "Canary Islands": (-18.5, 27.0, -13.0, 29.5),
}
# Natural Earth draws Crimea (peninsula plus Sevastopol) as one polygon of Russia. It touches
# Ukraine along one arc across the Perekop isthmus and no Russian arc across the Kerch strait,
# so moving every Russian polygon lying wholly inside this box to Ukraine, then dissolving the
# arc they share, draws Crimea as part of Ukraine's fill with no border line.
CRIMEA = (32.0, 44.0, 36.8, 46.3)
RUSSIA, UKRAINE = "643", "804"
# Features Natural Earth draws apart that belong to another one on this map: the Åland Islands
# are part of Finland, and the whole island of Cyprus is the member state Cyprus in EU law.
PART_OF = {"248": "246", "N. Cyprus": "196"}
# Islands too small to see at map scale get a circle around their capital. Luxembourg gets none:
# walled in by Belgium, France and Germany, any circle large enough to see would cover them.
MARKED_MEMBERS = ("MT", "CY")

R = 6_371_007.2  # authalic radius of the GRS80 ellipsoid, metres
LON0, LAT0 = math.radians(10.0), math.radians(52.0)


def project(lon: float, lat: float) -> Point:
    """Lambert azimuthal equal-area (spherical) centred on 52N 10E, in metres, y up."""
    lam, phi = math.radians(lon) - LON0, math.radians(lat)
    k = math.sqrt(
        2 / (1 + math.sin(LAT0) * math.sin(phi) + math.cos(LAT0) * math.cos(phi) * math.cos(lam))
    )
    x = R * k * math.cos(phi) * math.sin(lam)
    y = R * k * (math.cos(LAT0) * math.sin(phi) - math.sin(LAT0) * math.cos(phi) * math.cos(lam))
    return x, y


def map_scale() -> float:
    return WIDTH / (FRAME[2] - FRAME[0])


def map_height() -> int:
    return round((FRAME[3] - FRAME[1]) * map_scale())


def to_map(lon: float, lat: float) -> Point:
    """Projects a lon/lat point to map units: origin top left, y pointing down."""
    x, y = project(lon, lat)
    k = map_scale()
    return (x - FRAME[0]) * k, (FRAME[3] - y) * k


def decode_arcs(topology: dict) -> list[list[Point]]:
    """The topology's arcs as absolute lon/lat points (undoes quantization and delta coding)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for encoded in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in encoded:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs: Sequence[list[Point]], index: int) -> list[Point]:
    # TopoJSON writes a reversed arc i as ~i (that is -i - 1).
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs: Sequence[list[Point]], ring: Iterable[int]) -> Ring:
    """Joins a ring's arcs; consecutive arcs share their end point, kept once."""
    points: Ring = []
    for index in ring:
        part = arc_points(arcs, index)
        points.extend(part[1:] if points else part)
    return points


def polygons_by_feature(topology: dict) -> dict[str, list[list[list[int]]]]:
    """Each feature's polygons as rings of arc indexes, keyed by ISO numeric id or name."""
    features: dict[str, list[list[list[int]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        key = geometry.get("id") or geometry["properties"]["name"]
        if geometry["type"] == "Polygon":
            features[key] = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            features[key] = list(geometry["arcs"])
    return features


def bbox(points: Iterable[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def inside(box: Sequence[float], outer: Sequence[float]) -> bool:
    return outer[0] <= box[0] and outer[1] <= box[1] and box[2] <= outer[2] and box[3] <= outer[3]


def overlaps(box: Sequence[float], other: Sequence[float]) -> bool:
    return box[0] <= other[2] and other[0] <= box[2] and box[1] <= other[3] and other[1] <= box[3]


def regroup(features: dict, arcs: Sequence[list[Point]]) -> dict[str, list[list[list[int]]]]:
    """Moves Crimea to Ukraine and folds Åland and Northern Cyprus into their member state."""
    features = {key: list(polygons) for key, polygons in features.items()}
    crimea = [
        polygon
        for polygon in features[RUSSIA]
        if inside(bbox(ring_points(arcs, polygon[0])), CRIMEA)
    ]
    if not crimea:
        raise ValueError("no Russian polygon lies in Crimea: check how the source draws it")
    features[RUSSIA] = [polygon for polygon in features[RUSSIA] if polygon not in crimea]
    features[UKRAINE] += crimea
    for part, whole in PART_OF.items():
        if part in features:
            features[whole] = features.get(whole, []) + features.pop(part)
    return features


def dissolve(rings: list[list[int]], arcs: Sequence[list[Point]]) -> list[list[int]]:
    """Removes arcs a feature uses in both directions (borders inside it) and rejoins the rest.

    Both sides of such an arc belong to the same feature once Crimea is part of Ukraine, so the
    arc would otherwise draw a border line across Ukraine's (or Cyprus's) fill.
    """
    used = {index for ring in rings for index in ring}
    inner = {index for index in used if ~index in used}
    if not inner:
        return rings
    remaining = [index for ring in rings for index in ring if index not in inner]
    starting_at: dict[Point, list[int]] = defaultdict(list)
    for index in remaining:
        starting_at[arc_points(arcs, index)[0]].append(index)
    joined = []
    for index in remaining:
        start = arc_points(arcs, index)[0]
        if index not in starting_at[start]:
            continue  # already part of a ring
        ring = []
        while index is not None:
            starting_at[arc_points(arcs, index)[0]].remove(index)
            ring.append(index)
            following = starting_at[arc_points(arcs, index)[-1]]
            index = following[0] if following else None
        joined.append(ring)
    return joined


def triangle_area(a: Point, b: Point, c: Point) -> float:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2


def simplify(points: Sequence[Point], min_area: float) -> list[Point]:
    """Visvalingam–Whyatt: drops the vertices whose triangle with its neighbours is smallest.

    The end points always stay, so arcs simplified on their own still meet their neighbours.
    A closed arc (an island) keeps at least a triangle; whether it is big enough to draw is
    decided later, on the whole ring.
    """
    n = len(points)
    if n < 3:
        return list(points)
    keep_at_least = 4 if points[0] == points[-1] else 2
    previous, following = list(range(-1, n - 1)), list(range(1, n + 1))
    area = [math.inf] * n
    for i in range(1, n - 1):
        area[i] = triangle_area(points[i - 1], points[i], points[i + 1])
    queue = [(area[i], i) for i in range(1, n - 1)]
    heapq.heapify(queue)
    removed = [False] * n
    left = n
    while queue and left > keep_at_least:
        value, i = heapq.heappop(queue)
        if removed[i] or value != area[i]:
            continue  # an outdated entry: the vertex was removed or its area changed
        if value >= min_area:
            break
        removed[i] = True
        left -= 1
        before, after = previous[i], following[i]
        following[before], previous[after] = after, before
        for j in (before, after):
            if 0 < j < n - 1:
                # Never below the area just removed, so the order of removal stays monotonic.
                area[j] = max(
                    value, triangle_area(points[previous[j]], points[j], points[following[j]])
                )
                heapq.heappush(queue, (area[j], j))
    return [point for point, gone in zip(points, removed, strict=True) if not gone]


def rounded(points: Iterable[Point]) -> list[Point]:
    """Integer points with repeats removed."""
    result: list[Point] = []
    for x, y in points:
        point = (round(x), round(y))
        if not result or result[-1] != point:
            result.append(point)
    return result


def ring_area(ring: Sequence[Point]) -> float:
    """Signed area (shoelace); the sign gives the winding."""
    edges = zip(ring, [*ring[1:], ring[0]], strict=True)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in edges) / 2


def clip(ring: Ring, box: Sequence[float]) -> Ring:
    """Sutherland–Hodgman clipping of a ring to a rectangle (xmin, ymin, xmax, ymax).

    Concave rings may come back with edges running along the rectangle; they lie outside the
    viewBox, which is why the rectangle is a margin larger than the map.
    """
    xmin, ymin, xmax, ymax = box
    edges = (
        (lambda p: p[0] >= xmin, lambda p, q: _at_x(p, q, xmin)),
        (lambda p: p[0] <= xmax, lambda p, q: _at_x(p, q, xmax)),
        (lambda p: p[1] >= ymin, lambda p, q: _at_y(p, q, ymin)),
        (lambda p: p[1] <= ymax, lambda p, q: _at_y(p, q, ymax)),
    )
    for keeps, crossing in edges:
        if not ring:
            break
        clipped = []
        for p, q in zip([ring[-1], *ring[:-1]], ring, strict=True):
            if keeps(q):
                if not keeps(p):
                    clipped.append(crossing(p, q))
                clipped.append(q)
            elif keeps(p):
                clipped.append(crossing(p, q))
        ring = clipped
    return ring


def _at_x(p: Point, q: Point, x: float) -> Point:
    return x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0])


def _at_y(p: Point, q: Point, y: float) -> Point:
    return p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y


def path_d(rings: Iterable[Sequence[Point]]) -> str:
    """Writes integer rings as `m x y dx dy ... z`, every ring relative to the one before.

    After `m`, further pairs are relative lines; after `z` the current point is the ring's
    start, and a first `m` in a path is absolute.
    """
    parts = []
    cx = cy = 0
    for ring in rings:
        numbers = [ring[0][0] - cx, ring[0][1] - cy]
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            numbers += [x1 - x0, y1 - y0]
        cx, cy = ring[0]
        parts.append("m" + " ".join(map(str, numbers)).replace(" -", "-") + "z")
    return "".join(parts)


def path_rings(d: str) -> list[list[Point]]:
    """Reads back a path written by path_d (only `m`, relative pairs and `z`)."""
    rings: list[list[Point]] = []
    cx = cy = 0
    for ring_text in re.findall(r"m([^z]*)z", d):
        numbers = [int(n) for n in re.findall(r"-?\d+", ring_text)]
        x, y = cx + numbers[0], cy + numbers[1]
        ring = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        cx, cy = ring[0]
        rings.append(ring)
    return rings


def contains(rings: Sequence[Sequence[Point]], point: Point) -> bool:
    """Even-odd point-in-polygon test over all rings of a path."""
    px, py = point
    result = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y0 > py) != (y1 > py) and px < x0 + (x1 - x0) * (py - y0) / (y1 - y0):
                result = not result
    return result


def read_members(csv_path: Path) -> list[dict[str, str]]:
    """The 27 member states' rows from eu27.csv."""
    with csv_path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build_map(topology: dict, members: Sequence[dict[str, str]]) -> dict:
    """The map document described in the module docstring."""
    arcs = decode_arcs(topology)
    drawn = draw(regroup(polygons_by_feature(topology), arcs), arcs)
    codes = {row["iso_numeric"]: row["iso2"] for row in members}
    missing = sorted(code for numeric, code in codes.items() if numeric not in drawn)
    if missing:
        raise ValueError(f"member states missing from the map: {', '.join(missing)}")
    capitals = {
        row["iso2"]: (float(row["capital_lon"]), float(row["capital_lat"])) for row in members
    }
    return {
        "source": SOURCE,
        "projection": PROJECTION,
        "width": WIDTH,
        "height": map_height(),
        "members": {code: path_d(drawn[numeric]) for numeric, code in codes.items()},
        "context": path_d(
            ring for key, rings in drawn.items() if key not in codes for ring in rings
        ),
        "markers": {code: [round(v) for v in to_map(*capitals[code])] for code in MARKED_MEMBERS},
    }


def shown(box: Sequence[float]) -> bool:
    """Whether a polygon with this lon/lat bounding box belongs on the map at all."""
    return overlaps(box, NEAR_EUROPE) and not any(inside(box, far) for far in LEFT_OUT.values())


def draw(
    features: dict[str, list[list[list[int]]]], arcs: Sequence[list[Point]]
) -> dict[str, list[Ring]]:
    """Each feature's rings in integer map units, cut to the frame; features left empty go."""
    kept = {}
    for key, polygons in features.items():
        rings = [
            ring
            for polygon in polygons
            if shown(bbox(ring_points(arcs, polygon[0])))
            for ring in polygon
        ]
        if rings:
            kept[key] = dissolve(rings, arcs)

    # Each arc is projected, simplified and rounded once, before rings are assembled, so
    # neighbours share every vertex of their border and no gap can open between them.
    used = {
        index if index >= 0 else ~index
        for rings in kept.values()
        for ring in rings
        for index in ring
    }
    simplified: list[list[Point]] = [[] for _ in arcs]
    for index in used:
        simplified[index] = rounded(
            simplify([to_map(lon, lat) for lon, lat in arcs[index]], SIMPLIFY_AREA)
        )

    window = (-CLIP_MARGIN, -CLIP_MARGIN, WIDTH + CLIP_MARGIN, map_height() + CLIP_MARGIN)
    drawn = {}
    for key, rings in kept.items():
        visible = [
            ring for ring in (framed(ring_points(simplified, r), window) for r in rings) if ring
        ]
        if visible:
            drawn[key] = visible
    return drawn


def framed(points: Ring, window: Sequence[float]) -> Ring:
    """A closed ring cut to the window; empty when nothing of it is left to see."""
    points = points[:-1]  # the last point repeats the first
    if len(points) < 3 or not overlaps(bbox(points), window):
        return []
    if not inside(bbox(points), window):
        points = rounded(clip(points, window))
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
    if len(points) < 3 or abs(ring_area(points)) < MIN_RING_AREA:
        return []
    return points
