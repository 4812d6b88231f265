"""The map whole: never letterboxed (which cut Russia and Turkey with a straight edge)."""

import pytest

from tests.browser.test_map import OCCUPIED

SIZES = [(1440, 900), (390, 844), (1024, 600)]


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("path", [OCCUPIED, OCCUPIED + "embed/", OCCUPIED + "compare/"])
def test_the_map_keeps_its_shape_at_every_width(page, demo, width, height, path):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(path)
    box = page.eval_on_selector(".map", "svg => svg.getBoundingClientRect().toJSON()")
    # The drawing fills the element exactly when the element has the view box's proportions.
    assert abs(box["width"] / box["height"] - 1000 / 1002) < 0.01, box
    assert box["width"] <= width
