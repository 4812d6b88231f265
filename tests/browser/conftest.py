"""Real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against a live server."""

import os
import re
import shutil

import pytest
from django.contrib.auth import get_user_model

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the live server and the
# test's own database work are still ordinary synchronous Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI requires the browser tests.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 1400, "height": 1000}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def demo(committed_reference_data):
    from stances.transfer.demo import load_demo

    load_demo()


def mark_page(page):
    """Set a flag that survives htmx swaps but not a full page load."""
    page.evaluate("window.__notReloaded = true")


def was_not_reloaded(page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def totp_code(device) -> str:
    """The code an authenticator app with this device's key shows now."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def pass_second_step(page, username):
    """The second step of an editor's sign-in, with the code of their authenticator app (one is
    set up for them if they have none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The password's answer may still be loading: reloading before it has finds no page to
    # reload ("Not attached to an active page", seen once in a whole run).
    page.wait_for_url(re.compile(r"/accounts/second-step/"))
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        user = get_user_model().objects.get(username=username)
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        page.reload()  # from the enrolment to the code page, now that there is a device
    # A code is accepted once; the same editor signing in twice within 30 s would reuse it.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.fill("#id_code", totp_code(device))
    page.click("button:has-text('Continue')")
