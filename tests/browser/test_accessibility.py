"""axe-core in Chromium on the pages of time: no violation a reviewer's scan would find."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_editing import editor, open_editor, sign_in  # noqa: F401 - a fixture
from tests.browser.test_map import PUBLIC_PAGES
from tests.browser.test_time import OCCUPIED, history  # noqa: F401 - a fixture

PAGES = [
    OCCUPIED + "?as_of=2024-03-20",  # the slider, the steps
    OCCUPIED + "?as_of=2003-06-01",  # not yet members, the United Kingdom, weighted votes
    OCCUPIED + "compare/",
    "/countries/sk/compare/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(page, history, path):  # noqa: F811
    page.goto(path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.response["testEngine"]["name"] == "axe-core"  # it ran, despite the CSP
    assert results.violations_count == 0, results.generate_report()


def test_the_scan_does_find_a_violation(page, history):  # noqa: F811
    page.goto(OCCUPIED)
    page.evaluate("document.querySelector('#as-of-date').labels[0].remove()")
    assert Axe().run(page).violations_count >= 1


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width, height", [(390, 844), (1440, 900)])
def test_every_public_page_in_both_themes_at_both_widths(
    chromium,
    live_server,
    history,  # noqa: F811
    theme,
    width,
    height,
):
    context = chromium.new_context(
        color_scheme=theme, viewport={"width": width, "height": height}, base_url=live_server.url
    )
    page = context.new_page()
    found = {}
    for path in PUBLIC_PAGES:
        page.goto(path)
        if theme == "dark":
            background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
            assert background == "rgb(21, 24, 28)", (path, background)  # the theme applied
        results = Axe().run(page)
        if results.violations_count:
            found[path] = results.generate_report()
    context.close()
    assert not found, "\n\n".join(f"{path}\n{report}" for path, report in found.items())


def test_the_edit_form_has_no_violations(page, editor):  # noqa: F811
    sign_in(page)
    open_editor(page, "HU")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
