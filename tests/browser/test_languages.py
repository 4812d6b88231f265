"""The language switcher in Chromium: the same view comes back in the chosen language, Back
returns to English, and the pages in other languages pass axe-core."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_map import OCCUPIED

PAST = OCCUPIED + "countries/hu/?as_of=2024-03-20"


def test_switching_to_german_keeps_the_date_and_the_open_country(page, demo):
    page.goto(PAST)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#panel-heading")).to_have_text("Hungary")
    page.click(".language-switcher summary")
    page.click(".language-switcher a[lang=de]")
    expect(page).to_have_url(
        re.compile(r"/de/questions/occupied-territories-vote-2024/countries/hu/\?as_of=2024-03-20$")
    )
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#panel-heading")).to_have_text("Ungarn")
    expect(page.locator("#as-of-date")).to_have_value("2024-03-20")  # ISO in the control
    expect(page.locator(".language-switcher summary")).to_contain_text("Deutsch")
    expect(page.locator("body")).to_contain_text("20. März 2024")
    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(PAST) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#panel-heading")).to_have_text("Hungary")
    assert page.console_errors == []


def test_the_switcher_takes_the_date_the_slider_moved_to(page, demo):
    page.goto(OCCUPIED + "?as_of=2024-03-20")
    page.click("#previous-change")
    expect(page).not_to_have_url(re.compile(r"as_of=2024-03-20$"))
    moved = page.url.split("?")[1]
    page.click(".language-switcher summary")
    page.click(".language-switcher a[lang=fr]")
    expect(page).to_have_url(
        re.compile(r"/fr/questions/occupied-territories-vote-2024/\?" + re.escape(moved) + "$")
    )
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_the_switcher_works_by_keyboard(page, demo):
    page.goto(OCCUPIED)
    page.focus(".language-switcher summary")
    page.keyboard.press("Enter")
    link = page.locator(".language-switcher a[lang=el]")
    expect(link).to_be_visible()
    expect(link).to_have_text("ελληνικά")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.locator("#row-GR th a")).to_have_text("Ελλάδα")


@pytest.mark.parametrize("language", ["de", "el", "ga", "mt"])
def test_pages_in_other_languages_have_no_axe_violations(page, demo, language):
    page.goto(f"/{language}{OCCUPIED}countries/gr/?as_of=2024-03-20")
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_escape_closes_the_switcher_and_leaves_the_panel_open(page, demo):
    page.goto(PAST)
    page.focus(".language-switcher summary")
    page.keyboard.press("Enter")
    expect(page.locator(".language-switcher a[lang=de]")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(page.locator(".language-switcher a[lang=de]")).to_be_hidden()
    expect(page.locator(".language-switcher summary")).to_be_focused()
    expect(page.locator("#panel-heading")).to_have_text("Hungary")  # the panel is still open
