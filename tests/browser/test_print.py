"""The map page on paper: one A4 page, portrait, without navigation, forms or panels."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_map import OCCUPIED

PAGES = [
    OCCUPIED,
    OCCUPIED + "?as_of=2003-06-01",  # the longest outcome: not yet members, the UK
    "/questions/putin-re-election-2024/countries/hu/?as_of=2016-01-01",  # a panel open
]


def pages_of(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


@pytest.mark.parametrize("path", PAGES)
def test_the_map_page_prints_on_one_a4_page(page, demo, path):
    page.goto(path)
    assert pages_of(page.pdf(format="A4", print_background=True)) == 1


def test_print_keeps_what_matters_and_drops_the_rest(page, demo):
    page.goto(OCCUPIED + "countries/hu/")
    page.emulate_media(media="print")
    for kept in ("h1", ".map", "#legend", "#outcome", "#table tbody", ".source-line"):
        expect(page.locator(kept).first).to_be_visible()
    for dropped in (".site-header", ".site-footer", "form.as-of", "#panel", "#share", "#filters"):
        expect(page.locator(dropped).first).to_be_hidden()
    expect(page.locator(".source-line")).to_contain_text("Source: Stances, http")
