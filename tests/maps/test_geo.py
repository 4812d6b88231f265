import json
from pathlib import Path

import pytest

from stances.maps import geo

MAP_FILE = Path(__file__).resolve().parents[2] / "stances" / "data" / "europe.json"


def topology(arcs, geometries, scale=0.01, translate=(0, 0)):
    """A hand-made TopoJSON topology: arcs given as absolute quantized points."""
    encoded = []
    for points in arcs:
        deltas, x0, y0 = [], 0, 0
        for x, y in points:
            deltas.append([x - x0, y - y0])
            x0, y0 = x, y
        encoded.append(deltas)
    return {
        "type": "Topology",
        "transform": {"scale": [scale, scale], "translate": list(translate)},
        "arcs": encoded,
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
    }


def polygon(key, rings):
    return {"type": "Polygon", "arcs": rings, "id": key, "properties": {"name": key}}


@pytest.fixture(scope="module")
def europe():
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def test_the_projection_centre_is_the_origin():
    x, y = geo.project(10, 52)
    assert abs(x) < 1e-6
    assert abs(y) < 1e-6


def test_projection_matches_epsg_3035_within_half_a_map_unit():
    # EPSG Guidance Note 7-2 example for ETRS89-LAEA: 50N 5E is E 3962799.45, N 2999718.85,
    # with false easting 4321000 and false northing 3210000. The sphere is about 1 km off.
    x, y = geo.project(5, 50)
    half_a_unit = 0.5 / geo.map_scale()
    assert abs(x - (3962799.45 - 4321000)) < half_a_unit
    assert abs(y - (2999718.85 - 3210000)) < half_a_unit


def test_map_units_put_north_up_and_west_left():
    lisbon, helsinki = geo.to_map(-9.15, 38.73), geo.to_map(24.94, 60.17)
    assert lisbon[0] < helsinki[0]
    assert lisbon[1] > helsinki[1]


def test_decoding_undoes_quantization_and_delta_coding():
    source = topology([[(4, 2), (6, 3), (5, 1)]], [], scale=0.5, translate=(-10, 40))
    assert source["arcs"] == [[[4, 2], [2, 1], [-1, -2]]]
    assert geo.decode_arcs(source) == [[(-8.0, 41.0), (-7.0, 41.5), (-7.5, 40.5)]]


def test_neighbours_share_every_vertex_of_their_border_after_simplification():
    # Two squares east and west of 10E, 50N to 52N, sharing one border arc with a bulge that
    # must survive simplification and wiggles that must not.
    border = [(1000, 5200)]
    for i in range(1, 40):
        border.append((1000 + (1 if i % 2 else -1), 5200 - 5 * i))
    border += [(1050, 5100), (1000, 5000)]
    border.sort(key=lambda p: -p[1])
    west = [(1000, 5000), (800, 5000), (800, 5200), (1000, 5200)]
    east = [(1000, 5200), (1200, 5200), (1200, 5000), (1000, 5000)]
    source = topology([border, west, east], [polygon("W", [[0, 1]]), polygon("E", [[2, ~0]])])

    drawn = geo.draw(geo.polygons_by_feature(source), geo.decode_arcs(source))

    [w], [e] = drawn["W"], drawn["E"]
    middle_of_w = sum(x for x, _ in w) / len(w)
    border_of_w = {p for p in w if p[0] > middle_of_w}
    assert border_of_w <= set(e)
    assert tuple(round(v) for v in geo.to_map(10.5, 51)) in border_of_w
    assert len(border_of_w) < 10  # the wiggles are gone


def test_rings_are_cut_to_the_rectangle():
    square = [(-10, -10), (10, -10), (10, 10), (-10, 10)]
    cut = geo.clip(square, (0, 0, 100, 100))
    assert all(0 <= x <= 100 and 0 <= y <= 100 for x, y in cut)
    assert abs(geo.ring_area(cut)) == pytest.approx(100)


def test_rings_wholly_outside_the_frame_are_dropped():
    # French Guiana sits in France's geometry; the frame leaves it out.
    guiana = [(-5400, 200), (-5200, 200), (-5200, 500), (-5400, 500), (-5400, 200)]
    source = topology([guiana], [polygon("250", [[0]])])
    assert geo.draw(geo.polygons_by_feature(source), geo.decode_arcs(source)) == {}


@pytest.mark.parametrize(
    "box",
    [(-17.3, 32.6, -16.6, 32.9), (-18.2, 27.6, -13.4, 29.4), (-31.3, 36.9, -25.0, 39.8)],
    ids=["Madeira", "Canary Islands", "Azores"],
)
def test_outermost_regions_near_europe_are_left_out(box):
    assert not geo.shown(box)


def test_mainland_portugal_is_shown():
    assert geo.shown((-9.5, 37.0, -6.2, 42.2))


def test_a_russian_polygon_in_crimea_is_moved_to_ukraine_without_a_border_line():
    # Crimea drawn as a Russian polygon touching Ukraine along one arc, as world-atlas does.
    isthmus = [(3300, 4600), (3500, 4600)]
    ukraine = [(3500, 4600), (3600, 4600), (3600, 5000), (3000, 5000), (3000, 4600), (3300, 4600)]
    crimea = [(3300, 4600), (3300, 4450), (3500, 4450), (3500, 4600)]
    russia = [(3800, 4400), (4500, 4400), (4500, 5000), (3800, 5000), (3800, 4400)]
    source = topology(
        [isthmus, ukraine, crimea, russia],
        [
            polygon("804", [[0, 1]]),
            {"type": "MultiPolygon", "arcs": [[[3]], [[~0, 2]]], "id": "643"},
        ],
    )
    arcs = geo.decode_arcs(source)

    drawn = geo.draw(geo.regroup(geo.polygons_by_feature(source), arcs), arcs)

    simferopol = geo.to_map(34.10, 44.95)
    assert len(drawn["804"]) == 1  # one outline: nothing drawn across the isthmus
    assert geo.contains(drawn["804"], simferopol)
    assert not geo.contains(drawn["643"], simferopol)


def test_paths_read_back_as_the_rings_written():
    rings = [[(10, 20), (15, 18), (12, 30)], [(400, 5), (410, 5), (410, 15), (400, 15)]]
    d = geo.path_d(rings)
    assert d == "m10 20 5-2-3 12zm390-15 10 0 0 10-10 0z"
    assert geo.path_rings(d) == rings


def test_crimea_is_drawn_as_part_of_ukraine(europe):
    rings = geo.path_rings(europe["context"])
    simferopol, kyiv = geo.to_map(34.10, 44.95), geo.to_map(30.52, 50.45)
    [outline] = [ring for ring in rings if geo.contains([ring], simferopol)]
    assert geo.contains([outline], kyiv)


def test_portugal_is_drawn_without_the_azores_and_madeira(europe):
    assert len(geo.path_rings(europe["members"]["PT"])) == 1


def test_spain_is_drawn_without_the_canary_islands(europe):
    madrid_x, _ = geo.to_map(-3.70, 40.42)
    mainland, *islands = sorted(
        geo.path_rings(europe["members"]["ES"]), key=lambda ring: -abs(geo.ring_area(ring))
    )
    assert islands  # the Balearics
    assert all(min(x for x, _ in ring) > madrid_x for ring in islands)
