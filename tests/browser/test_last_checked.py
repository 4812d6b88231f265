"""Confirming a stance still holds, in Chromium: in place, then "checked" in its row; the
editors' list of stances due a check. axe-core finds nothing on either."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import mark_page, was_not_reloaded
from tests.browser.test_editing import FEDERATION, editor, sign_in  # noqa: F401 - a fixture


def no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_an_editor_confirms_a_stance_in_place_and_its_row_says_checked(page, editor):  # noqa: F811
    sign_in(page)
    mark_page(page)
    page.click("#row-HU th a")
    page.click("#panel a:has-text('Confirm still current')")
    expect(page.get_by_label("Source: web address")).to_be_visible()
    no_axe_violations(page)
    page.get_by_label("Source: web address").fill("https://abouthungary.hu/news/unchanged")
    page.click("#panel button:has-text('Confirm')")
    expect(page.locator("#saved-message")).to_contain_text("Confirmed as still current")
    expect(page.locator("#panel .checked-note")).to_contain_text("abouthungary.hu")
    assert was_not_reloaded(page)
    page.reload()
    expect(page.locator("#row-HU")).to_contain_text("checked")
    page.click("text=Due a check")
    expect(page.locator("h1")).to_have_text("Due a check")
    no_axe_violations(page)
