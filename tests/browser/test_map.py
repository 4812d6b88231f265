"""The map page in a real browser: tooltip, Malta's timeline, as-of time travel, filters."""

import re

import pytest
from playwright.sync_api import expect

from stances.models import Question
from tests.browser.conftest import mark_page, was_not_reloaded
from tests.factories import record

OCCUPIED = "/questions/occupied-territories-vote-2024/"
# Every kind of public page, on the demo: for the checks that hold on all of them.
PUBLIC_PAGES = [
    "/",
    OCCUPIED,
    OCCUPIED + "?as_of=2003-06-01",
    OCCUPIED + "countries/hu/",
    OCCUPIED + "compare/",
    OCCUPIED + "embed/",
    "/countries/hu/",
    "/countries/hu/compare/",
    "/about/",
    "/accounts/login/",
]


@pytest.fixture
def hungary_changed(demo):
    question = Question.objects.get(slug="occupied-territories-vote-2024")
    record(question, "HU", "recognises", "2024-03-20", summary="Budapest recognises it.")
    return question


def test_hovering_a_country_shows_its_name_position_and_since(page, demo):
    page.goto(OCCUPIED)
    page.hover("#map-FR path")
    tooltip = page.locator("[data-tooltip]")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("France")
    expect(tooltip).to_contain_text("Does not recognise")
    expect(tooltip).to_contain_text("since 14 March 2024")


def test_keyboard_focus_shows_the_tooltip_too(page, demo):
    page.goto(OCCUPIED)
    page.focus("#map-PL")
    expect(page.locator("[data-tooltip]")).to_contain_text("Poland")


def test_clicking_malta_opens_its_timeline_in_the_panel_without_a_reload(page, demo):
    page.goto(OCCUPIED)
    mark_page(page)
    page.click("#map-MT circle")
    expect(page.locator("#panel-heading")).to_have_text("Malta")
    expect(page.locator("#panel")).to_contain_text("Adnkronos")
    expect(page).to_have_url(
        re.compile(r"/questions/occupied-territories-vote-2024/countries/mt/$")
    )
    expect(page.locator("#panel-heading")).to_be_focused()
    assert was_not_reloaded(page)
    assert page.console_errors == []


def test_enter_on_a_focused_country_opens_its_timeline(page, demo):
    page.goto(OCCUPIED)
    page.focus("#map-LU")
    page.keyboard.press("Enter")
    expect(page.locator("#panel-heading")).to_have_text("Luxembourg")


def test_the_timeline_url_opens_as_a_full_page(page, demo):
    page.goto(OCCUPIED + "countries/cy/")
    expect(page.locator("#panel-heading")).to_have_text("Cyprus")
    expect(page.locator("#map-CY")).to_be_visible()


def test_changing_the_as_of_date_recolours_the_map_without_a_reload(page, hungary_changed):
    page.goto(OCCUPIED)
    hungary = page.locator("#map-HU path")
    expect(hungary).to_have_attribute("fill", "#D55E00")
    expect(page.locator('[data-count="recognises"]')).to_have_text("1")
    mark_page(page)
    entries_before = page.evaluate("history.length")
    # fill() already fires "change"; a second one is what some date pickers send. Together
    # they must still make one history entry, or Back would seem to do nothing.
    page.fill("#as-of-date", "2024-03-15")
    page.dispatch_event("#as-of-date", "change")
    expect(hungary).to_have_attribute("fill", "#0072B2")
    expect(page.locator('[data-count="recognises"]')).to_have_text("0")
    expect(page).to_have_url(re.compile(r"\?as_of=2024-03-15$"))
    assert was_not_reloaded(page)
    page.wait_for_load_state("networkidle")  # a second request would have pushed by now
    assert page.evaluate("history.length") == entries_before + 1
    # Before anything was recorded, every country shows "no record".
    page.fill("#as-of-date", "2024-03-01")
    page.dispatch_event("#as-of-date", "change")
    expect(hungary).to_have_attribute("fill", "url(#no-record)")
    expect(page).to_have_url(re.compile(r"\?as_of=2024-03-01$"))
    # The back button returns to the previous date.
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?as_of=2024-03-15$"))
    expect(page.locator("#map-HU path")).to_have_attribute("fill", "#0072B2")


def test_the_legend_filters_the_table_without_a_reload(page, hungary_changed):
    page.goto(OCCUPIED)
    mark_page(page)
    page.click("#legend a:has-text('Recognises')")
    expect(page.locator("#table tbody tr")).to_have_count(1)
    expect(page.locator("#table tbody tr")).to_contain_text("Hungary")
    expect(page).to_have_url(re.compile(r"position=recognises"))
    assert was_not_reloaded(page)


def test_sorting_the_table_by_since_puts_the_newest_first(page, hungary_changed):
    page.goto(OCCUPIED)
    page.click("#table th a:has-text('Since')")
    expect(page).to_have_url(re.compile(r"sort=since"))
    expect(page.locator("#table th[aria-sort='ascending']")).to_contain_text("Since")
    page.click("#table th a:has-text('Since')")
    expect(page).to_have_url(re.compile(r"sort=-since"))
    expect(page.locator("#table th[aria-sort='descending']")).to_contain_text("Since")
    expect(page.locator("#table tbody tr").first).to_contain_text("Hungary")
