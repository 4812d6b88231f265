"""The side panel by keyboard: Escape and Close give focus back; a refused save shows where."""

import re

from playwright.sync_api import expect

from tests.browser.test_editing import editor, open_editor, sign_in  # noqa: F401 - a fixture
from tests.browser.test_map import OCCUPIED


def test_escape_closes_the_panel_and_focus_returns_to_the_country(page, demo):
    page.goto(OCCUPIED)
    page.focus("#map-LU")
    page.keyboard.press("Enter")
    expect(page.locator("#panel-heading")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#panel .panel-hint")).to_be_visible()
    expect(page.locator("#map-LU")).to_be_focused()
    expect(page).to_have_url(re.compile(re.escape(OCCUPIED) + "$"))
    assert page.console_errors == []


def test_close_returns_focus_to_the_table_row_that_opened_it(page, demo):
    page.goto(OCCUPIED + "?as_of=2024-03-20")
    page.click("#row-SE th a")
    expect(page.locator("#panel-heading")).to_have_text("Sweden")
    page.click("[data-close-panel]")
    expect(page.locator("#row-SE th a")).to_be_focused()
    expect(page).to_have_url(re.compile(re.escape(OCCUPIED) + r"\?as_of=2024-03-20$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/countries/se/\?as_of=2024-03-20$"))


def test_a_refused_save_puts_focus_on_the_first_field_in_error(page, editor):  # noqa: F811
    sign_in(page)
    open_editor(page, "HU")
    page.select_option("#id_position", label="Recognises")  # needs a source, none given
    page.fill("#id_effective_on", "2024-03-18")
    page.click("button:has-text('Save')")
    expect(page.locator(".field-error").first).to_be_visible()
    focused = page.evaluate("document.activeElement.closest('.field').className")
    assert "has-error" in focused
    page.keyboard.press("Escape")  # the form stays: what was typed is not thrown away
    expect(page.locator("#id_effective_on")).to_have_value("2024-03-18")
