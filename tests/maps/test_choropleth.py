"""Which member states get a button under the map, because they are too small to tap on it."""

from stances.maps import choropleth, mapsvg


class Row:
    """What choropleth() reads of a snapshot row."""

    def __init__(self, code):
        self.member_state = type(
            "MemberState", (), {"code": code, "name": code, "accession_date": None}
        )
        self.position = None
        self.since = None
        self.is_member = True


def insets():
    europe = mapsvg.load_map()
    return {
        c.code: c.inset
        for c in choropleth.choropleth([Row(code) for code in europe.members], europe)
    }


def px_at(units, map_px):
    return units * map_px / mapsvg.load_map().width


def test_luxembourg_needs_its_button_even_on_the_widest_map():
    xmin, ymin, xmax, ymax = mapsvg.load_map().boxes["LU"]
    assert px_at(min(xmax - xmin, ymax - ymin), choropleth.WIDE_MAP_PX) < 24
    assert insets()["LU"] == choropleth.INSET_ALWAYS


def test_on_the_narrowest_map_every_state_under_24_px_gets_a_button_and_only_those():
    europe = mapsvg.load_map()
    for code, inset in insets().items():
        xmin, ymin, xmax, ymax = europe.boxes[code]
        if code in europe.markers:  # its circle is part of its target
            x, y = europe.markers[code]
            r = choropleth.MARKER_RADIUS
            xmin, ymin, xmax, ymax = (
                min(xmin, x - r),
                min(ymin, y - r),
                max(xmax, x + r),
                max(ymax, y + r),
            )
        shorter = px_at(min(xmax - xmin, ymax - ymin), choropleth.NARROWEST_MAP_PX)
        assert bool(inset) == (shorter < 24), code
        if inset == choropleth.INSET_NARROW:  # big enough once the map is 600 px wide
            assert px_at(min(xmax - xmin, ymax - ymin), choropleth.WIDE_MAP_PX) >= 24, code


def test_the_big_states_need_no_button_and_the_small_ones_do():
    found = insets()
    assert not any(found[code] for code in ("FR", "DE", "ES", "IT", "PL", "SE", "FI", "RO"))
    assert all(found[code] for code in ("BE", "NL", "LU", "MT", "CY", "SI"))


def test_malta_and_cyprus_circles_are_24_px_once_the_map_is_600_px_wide():
    assert px_at(2 * choropleth.MARKER_RADIUS, choropleth.WIDE_MAP_PX) >= 24
