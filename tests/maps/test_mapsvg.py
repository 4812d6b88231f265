import csv

from stances.maps import geo, mapsvg

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


def test_malta_luxembourg_and_cyprus_have_markers_on_their_territory():
    europe = mapsvg.load_map()
    assert set(europe.markers) == {"MT", "LU", "CY"}
    for code, (x, y) in europe.markers.items():
        xmin, ymin, xmax, ymax = geo.bbox(
            point for ring in geo.path_rings(europe.members[code]) for point in ring
        )
        assert xmin - 2 <= x <= xmax + 2, code
        assert ymin - 2 <= y <= ymax + 2, code


def test_the_map_file_stays_under_40_kb():
    assert mapsvg.MAP_FILE.stat().st_size < 40_000


def test_the_map_is_read_once():
    assert mapsvg.load_map() is mapsvg.load_map()
