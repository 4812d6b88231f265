import csv
import math

from stances.maps import geo, mapsvg
from stances.maps.choropleth import MARKER_RADIUS

EU27_FILE = mapsvg.MAP_FILE.with_name("eu27.csv")


def member_codes():
    with EU27_FILE.open(newline="", encoding="utf-8") as f:
        return {row["iso2"] for row in csv.DictReader(f)}


def test_the_map_has_exactly_the_27_member_states_by_code():
    europe = mapsvg.load_map()
    assert set(europe.members) == member_codes()
    assert len(europe.members) == 27
    assert "GR" in europe.members
    assert all(d.startswith("m") and d.endswith("z") for d in europe.members.values())


def test_every_other_country_is_one_context_path():
    europe = mapsvg.load_map()
    assert len(geo.path_rings(europe.context)) > 50


def test_the_view_box_is_the_whole_map():
    europe = mapsvg.load_map()
    assert europe.view_box == f"0 0 {europe.width} {europe.height}"
    assert europe.width == 1000


def test_every_member_state_is_drawn_whole_inside_the_view_box():
    europe = mapsvg.load_map()
    for d in europe.members.values():
        for ring in geo.path_rings(d):
            assert all(0 <= x <= europe.width and 0 <= y <= europe.height for x, y in ring)


def test_malta_and_cyprus_have_markers_on_their_territory():
    europe = mapsvg.load_map()
    assert set(europe.markers) == {"MT", "CY"}
    for code, (x, y) in europe.markers.items():
        xmin, ymin, xmax, ymax = europe.boxes[code]
        assert xmin - 2 <= x <= xmax + 2, code
        assert ymin - 2 <= y <= ymax + 2, code


def inside_outline(point, d):
    """Even-odd ray casting over the outline's rings."""
    x, y = point
    inside = False
    for ring in geo.path_rings(d):
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
                inside = not inside
    return inside


def test_no_marker_covers_another_member_state():
    europe = mapsvg.load_map()
    for code, (x, y) in europe.markers.items():
        edge = [
            (
                x + MARKER_RADIUS * math.cos(a * math.pi / 36),
                y + MARKER_RADIUS * math.sin(a * math.pi / 36),
            )
            for a in range(72)
        ]
        for other, d in europe.members.items():
            if other != code:
                assert not any(inside_outline(point, d) for point in edge), (code, other)
        assert all(0 <= px <= europe.width and 0 <= py <= europe.height for px, py in edge), code


def test_ray_casting_finds_luxembourg_city_inside_luxembourg_and_not_belgium():
    europe = mapsvg.load_map()
    luxembourg_city = europe.capitals["LU"]
    assert inside_outline(luxembourg_city, europe.members["LU"])
    assert not inside_outline(luxembourg_city, europe.members["BE"])


def test_each_outline_box_holds_its_capital():
    europe = mapsvg.load_map()
    for code, (x, y) in europe.capitals.items():
        xmin, ymin, xmax, ymax = europe.boxes[code]
        assert xmin <= x <= xmax and ymin <= y <= ymax, code


def test_the_map_file_stays_under_40_kb():
    assert mapsvg.MAP_FILE.stat().st_size < 40_000


def test_the_map_is_read_once():
    assert mapsvg.load_map() is mapsvg.load_map()
