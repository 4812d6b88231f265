"""Editing in a real browser: sign in, edit in place, inline errors, and the conflict screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import mark_page, pass_second_step, was_not_reloaded
from tests.factories import make_editor

FEDERATION = "/questions/putin-re-election-2024/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(demo):
    return make_editor("alice", PASSWORD)


def sign_in(page, path=FEDERATION, username="alice"):
    page.goto(path)
    page.click("text=Sign in")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    pass_second_step(page, username)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def open_editor(page, code):
    page.click(f"#row-{code} a:has-text('Edit')")
    expect(page.locator("#edit-heading")).to_be_visible()


def fill_entry(page, summary="Budapest recognises the result.", url="https://abouthungary.hu/x"):
    page.select_option("#id_position", label="Recognises")
    page.fill("#id_effective_on", "2024-03-18")
    page.select_option("#id_confidence", label="Official statement")
    page.fill("#id_summary", summary)
    page.fill("#id_sources-0-url", url)
    page.fill("#id_sources-0-title", "Government statement")
    page.fill("#id_sources-0-publisher", "Government of Hungary")


def test_an_editor_signs_in_edits_hungary_and_sees_the_map_change_without_reload(page, editor):
    sign_in(page)
    expect(page.locator('[data-count="recognises"]')).to_have_text("0")
    mark_page(page)
    open_editor(page, "HU")
    fill_entry(page)
    page.click("button:has-text('Save')")
    expect(page.locator("#saved-message")).to_contain_text("Saved: Recognises")
    expect(page.locator("#map-HU path")).to_have_attribute("fill", "#D55E00")
    expect(page.locator("#inset-HU rect")).to_have_attribute("fill", "#D55E00")  # its button too
    expect(page.locator('[data-count="recognises"]')).to_have_text("1")
    expect(page.locator('[data-count="no-public-position"]')).to_have_text("26")
    expect(page.locator("#row-HU")).to_contain_text("Recognises")
    expect(page.locator("#outcome")).to_contain_text("Blocked by Hungary")
    expect(page.locator("#panel")).to_contain_text("Budapest recognises the result.")
    assert was_not_reloaded(page)
    assert page.console_errors == []


def test_an_invalid_source_address_shows_an_inline_error_and_keeps_the_input(page, editor):
    sign_in(page)
    open_editor(page, "HU")
    fill_entry(page, summary="Kept text", url="javascript:alert(1)")
    page.click("button:has-text('Save')")
    expect(page.locator(".field-error")).to_contain_text("http:// or https://")
    expect(page.locator("#edit-errors")).to_be_visible()
    expect(page.locator("#id_summary")).to_have_value("Kept text")
    expect(page.locator("#map-HU path")).to_have_attribute("fill", "#999999")


def test_two_editors_on_the_same_stance_the_second_sees_the_conflict_with_their_text(
    chromium, live_server, editor
):
    make_editor("bob", PASSWORD)
    pages = []
    for username in ("alice", "bob"):
        context = chromium.new_context(
            base_url=live_server.url, viewport={"width": 1400, "height": 1000}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, username=username)
        open_editor(page, "HU")
        pages.append(page)
    alice, bob = pages
    fill_entry(alice, summary="Alice's entry")
    alice.click("button:has-text('Save')")
    expect(alice.locator("#saved-message")).to_be_visible()

    fill_entry(bob, summary="Bob's careful wording")
    bob.click("button:has-text('Save')")
    expect(bob.locator("#conflict-notice")).to_contain_text("Someone else saved Hungary")
    expect(bob.locator("#id_summary")).to_have_value("Bob's careful wording")
    expect(bob.locator(".current-record")).to_contain_text("Alice's entry")
    # Bob's map already shows Alice's change; saving again puts his entry on top.
    expect(bob.locator("#map-HU path")).to_have_attribute("fill", "#D55E00")
    bob.click("button:has-text('Save mine on top of theirs')")
    expect(bob.locator("#saved-message")).to_be_visible()
    expect(bob.locator("#panel")).to_contain_text("Bob's careful wording")
    expect(bob.locator("#panel")).to_contain_text("Alice's entry")
    for page in pages:
        page.context.close()


def test_keyboard_only_editing_moves_focus_into_the_form_and_back(page, editor):
    sign_in(page)
    page.focus("#row-HU a:has-text('Edit')")
    page.keyboard.press("Enter")
    expect(page.locator("#panel-heading")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#panel') !== null")
    assert focused
