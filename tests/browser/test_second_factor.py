"""The second factor in Chromium: an editor signs in, enrols an authenticator app from the key
the page shows, keeps the recovery codes and edits; axe-core finds nothing on those pages."""

import base64
import re

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.test_editing import FEDERATION, PASSWORD, editor, open_editor  # noqa: F401


def no_axe_violations(page):
    results = Axe().run(page)
    assert results.response["testEngine"]["name"] == "axe-core"
    assert results.violations_count == 0, results.generate_report()


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows for the key typed in by hand."""
    return f"{TOTP(base64.b32decode(secret)).token():06d}"


def test_an_editor_enrols_from_the_key_shown_and_then_edits(page, editor):  # noqa: F811
    page.goto(FEDERATION)
    page.click("text=Sign in")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page.locator("h1")).to_have_text("Set up your second step")
    expect(page.locator("svg").first).to_be_visible()
    no_axe_violations(page)
    page.fill("#id_code", "123")
    page.click("button:has-text('Confirm')")
    expect(page.locator(".field-error")).to_contain_text("That code is not right")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    no_axe_violations(page)
    page.wait_for_timeout(1100)  # django-otp lets the next try come a second after a failure
    page.fill("#id_code", code_from_secret(page.locator("#secret-key").inner_text()))
    page.click("button:has-text('Confirm')")
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    no_axe_violations(page)
    page.click("text=Continue")
    expect(page).to_have_url(re.compile(re.escape(FEDERATION) + "$"))
    open_editor(page, "HU")
    expect(page.locator("form select[name=position]")).to_be_visible()


def test_the_code_page_has_no_axe_violations(page, editor):  # noqa: F811
    from tests.browser.conftest import pass_second_step

    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    page.click("button:has-text('Sign in')")
    expect(page.locator("h1")).to_have_text("Second step")
    no_axe_violations(page)
    pass_second_step(page, "alice")
    expect(page).to_have_url(re.compile(r"/$"))
