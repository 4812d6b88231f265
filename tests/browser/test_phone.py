"""On a phone: no page scrolls sideways, the table stacks, a country opens in a sheet by the map,
and every country has somewhere to tap of at least 24 × 24 CSS px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_editing import PASSWORD, editor, sign_in  # noqa: F401 - a fixture
from tests.browser.test_map import OCCUPIED, PUBLIC_PAGES


@pytest.fixture
def phone(chromium, live_server):
    def open_at(width, height=844):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            has_touch=True,
            is_mobile=True,
            base_url=live_server.url,
        )
        return context.new_page()

    return open_at


@pytest.mark.parametrize("width", [320, 390, 430, 1440])
def test_no_public_page_scrolls_sideways(phone, demo, width):
    page = phone(width)
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") == width, path
    page.context.close()


def test_nor_the_signed_in_editors_map_page(page, editor):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, OCCUPIED)
    assert page.evaluate("document.documentElement.scrollWidth") == 390


def test_the_table_stacks_each_state_into_a_block_with_labels(phone, demo):
    page = phone(390)
    page.goto(OCCUPIED)
    row = page.locator("#row-HU")
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert (
        row.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
        == '"Position: "'
    )
    assert row.evaluate("r => r.getBoundingClientRect().width") <= 390
    page.context.close()


def test_tapping_a_country_opens_a_sheet_next_to_the_map_and_closing_returns(phone, demo):
    page = phone(390)
    page.goto(OCCUPIED)
    page.locator("#map-FR").scroll_into_view_if_needed()
    scrolled = page.evaluate("scrollY")
    page.tap("#map-FR path")
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text("France")
    expect(heading).to_be_focused()
    sheet = page.locator("#panel").bounding_box()
    assert sheet["y"] + sheet["height"] <= 844 + 1 and sheet["height"] <= 0.7 * 844 + 1
    assert abs(page.evaluate("scrollY") - scrolled) < 2  # no jump down the page
    page.tap("[data-close-panel]")
    expect(page.locator("#map-FR")).to_be_focused()
    expect(page.locator("#panel .panel-hint")).to_be_attached()
    page.context.close()


def test_a_skip_link_jumps_over_the_map(page, demo):
    page.goto(OCCUPIED)
    page.focus("#as-of-date")
    skip = page.locator(".skip-map")
    for _ in range(12):
        page.keyboard.press("Tab")
        if skip.evaluate("a => a === document.activeElement"):
            break
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#legend$"))


TARGETS = """() => [...document.querySelectorAll("svg.map a.country")].map(a => {
    const box = a.getBoundingClientRect();
    const button = document.getElementById("inset-link-" + a.dataset.code);
    const shown = button && button.checkVisibility() ? button.getBoundingClientRect() : null;
    const size = shown && [shown.width, shown.height];
    return {code: a.dataset.code, map: [box.width, box.height], button: size};
})"""


@pytest.mark.parametrize("width", [320, 390, 1440])
def test_every_country_can_be_tapped_on_24_by_24_px_on_the_map_or_under_it(phone, demo, width):
    page = phone(width, 900)
    page.goto(OCCUPIED)
    targets = page.evaluate(TARGETS)
    assert len(targets) == 27
    for target in targets:
        if min(target["map"]) < 24:
            assert target["button"] and min(target["button"]) >= 24, target
    buttons = {t["code"] for t in targets if t["button"]}
    if width == 1440:  # a map this wide leaves only Luxembourg too small
        assert buttons == {"LU"}
    else:
        assert {"BE", "LU", "NL", "MT", "CY", "SI"} <= buttons and "FR" not in buttons
    page.context.close()


def test_tapping_luxembourgs_button_opens_it_and_closing_returns_to_the_button(phone, demo):
    page = phone(390)
    page.goto(OCCUPIED)
    page.locator("#inset-link-LU").scroll_into_view_if_needed()
    page.tap("#inset-link-LU")
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text("Luxembourg")
    expect(heading).to_be_focused()
    expect(page).to_have_url(re.compile("/lu/"))
    page.keyboard.press("Escape")
    expect(page.locator("#inset-link-LU")).to_be_focused()
    page.tap("#map-BE path")  # Belgium, next to it, is Belgium: no circle of Luxembourg's over it
    expect(heading).to_have_text("Belgium")
    page.context.close()
