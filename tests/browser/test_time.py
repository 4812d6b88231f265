"""Time in a real browser: the slider by keyboard, Play and Pause, Back; the compare page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stances.models import Question
from tests.browser.conftest import mark_page, was_not_reloaded
from tests.factories import record

OCCUPIED = "/questions/occupied-territories-vote-2024/"
FIRST = datetime.date(2024, 3, 14)  # the demo's first record


@pytest.fixture
def history(demo):
    question = Question.objects.get(slug="occupied-territories-vote-2024")
    record(question, "HU", "recognises", "2024-03-20")
    record(question, "SK", "recognises", "2024-04-02")
    record(question, "HU", "does-not-recognise", "2024-05-10")
    return question


def slider_date(page) -> str:
    offset = int(page.eval_on_selector("#as-of-slider", "input => input.value"))
    return (FIRST + datetime.timedelta(days=offset)).isoformat()


def expect_date(page, iso):
    expect(page).to_have_url(re.compile(rf"\?as_of={iso}$"))
    shown = datetime.date.fromisoformat(iso)
    expect(page.locator(".as-of-status")).to_contain_text(f"{shown.day} {shown:%B %Y}")


def test_the_slider_works_by_keyboard_and_the_address_follows(page, history):
    page.goto(OCCUPIED)
    mark_page(page)
    slider = page.locator("#as-of-slider")
    expect(slider).to_be_visible()
    slider.focus()
    page.keyboard.press("Home")
    expect_date(page, FIRST.isoformat())
    expect(page.locator("#map-HU path")).to_have_attribute("fill", "#0072B2")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect_date(page, "2024-03-16")
    page.keyboard.press("PageUp")
    moved = slider_date(page)
    assert moved > "2024-04-01"
    expect_date(page, moved)
    page.keyboard.press("PageDown")
    expect_date(page, "2024-03-16")
    page.keyboard.press("End")
    expect_date(page, timezone.localdate().isoformat())
    expect(slider).to_be_focused()  # the swap keeps the reader where they were
    expect(slider).to_have_attribute("aria-valuetext", re.compile(r"^\d{1,2} \w+ \d{4}$"))
    assert was_not_reloaded(page)
    assert page.console_errors == []


def test_play_walks_through_the_changes_pause_stays_and_back_returns(page, history):
    page.goto(OCCUPIED + "?as_of=2024-03-14")
    entries = page.evaluate("history.length")
    play = page.locator("[data-play]")
    play.click()
    expect(play).to_have_text("Pause")  # the button's name says what it will do
    expect_date(page, "2024-03-20")
    expect(page.locator("#map-HU path")).to_have_attribute("fill", "#D55E00")
    expect_date(page, "2024-04-02")
    play.click()  # Pause
    expect(play).to_have_text("Play")
    page.wait_for_timeout(2500)  # longer than a step: nothing moves after Pause
    expect_date(page, "2024-04-02")
    assert slider_date(page) == "2024-04-02"
    assert page.evaluate("history.length") == entries + 1  # one entry for the whole play
    page.go_back()
    expect_date(page, "2024-03-14")
    assert slider_date(page) == "2024-03-14"
    assert page.console_errors == []


def test_play_stops_at_the_latest_change(page, history):
    page.goto(OCCUPIED + "?as_of=2024-04-02")
    page.locator("[data-play]").click()
    expect_date(page, "2024-05-10")
    expect(page.locator("[data-play]")).to_have_text("Play", timeout=5000)
    expect(page.locator("#next-change")).to_have_count(0)


def test_without_script_the_steps_are_links_and_the_slider_stays_hidden(
    chromium, live_server, history
):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(OCCUPIED + "?as_of=2024-03-20")
    expect(page.locator("[data-slider]")).to_be_hidden()
    page.click("#next-change")
    expect_date(page, "2024-04-02")
    page.click("#previous-change")
    expect_date(page, "2024-03-20")
    context.close()


def test_the_compare_page_changes_dates_in_place(page, history):
    page.goto(OCCUPIED)
    page.click("text=Compare two dates")
    expect(page.locator("h1")).to_contain_text("two dates compared")
    expect(page.locator(".move-list > li")).to_have_count(3)
    mark_page(page)
    page.fill("#compare-from", "2024-03-20")
    page.fill("#compare-to", "2024-04-30")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"compare/\?from=2024-03-20&to=2024-04-30$"))
    expect(page.locator(".move-list > li")).to_have_count(1)
    expect(page.locator(".move-list")).to_contain_text("Slovakia")
    expect(page.locator("#map-SK")).to_have_class(re.compile(r"\bmoved\b"))
    assert was_not_reloaded(page)
    page.fill("#compare-from", "2024-05-01")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#request-error")).to_contain_text("is after “to”")
    page.fill("#compare-from", "2024-03-14")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".move-list > li")).to_have_count(2)
    assert page.console_errors == [] or all("400" in e for e in page.console_errors)
