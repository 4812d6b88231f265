"""axe-core in Chromium on the pages of time: no violation a reviewer's scan would find."""

import pytest
from axe_playwright_python.sync_playwright import Axe

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


DARK_PAGES = [
    "/",
    OCCUPIED + "?as_of=2024-03-20",
    OCCUPIED + "compare/",
    "/about/",
    OCCUPIED + "embed/",
]


@pytest.mark.parametrize("path", DARK_PAGES)
def test_the_dark_theme_passes_too(chromium, live_server, history, path):  # noqa: F811
    context = chromium.new_context(color_scheme="dark", base_url=live_server.url)
    page = context.new_page()
    page.goto(path)
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(21, 24, 28)", background  # the theme applied
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()
