"""Following in a real browser: subscribe on the map page, confirm from the mail the SMTP
server received, get an alert after an editor's save, and leave from the mail in one click."""

import re

import pytest
from playwright.sync_api import expect

from stances.models import Subscription
from tests.browser.test_editing import FEDERATION, fill_entry, open_editor, sign_in
from tests.factories import make_editor
from tests.following.conftest import run_worker, smtp, text_of  # noqa: F401 - smtp: a fixture

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(demo):
    return make_editor("alice", PASSWORD)


def link_in(message, kind: str) -> str:
    return re.search(rf"https?://\S+/follow/{kind}/\S+/", text_of(message)).group(0)


def test_subscribe_confirm_get_an_alert_after_a_save_and_unsubscribe(
    page,
    chromium,
    live_server,
    editor,
    smtp,  # noqa: F811 - the fixture imported above
    settings,
):
    settings.SITE_URL = live_server.url
    page.goto(FEDERATION)
    form = page.locator("#follow")
    form.get_by_label("Your email address").fill("reader@example.org")
    form.get_by_label("As it happens").check()
    form.get_by_role("button", name="Follow").click()
    expect(page.locator("#follow")).to_contain_text("Check your mail")
    expect(page.locator("#follow")).to_contain_text("reader@example.org")

    run_worker()
    [confirmation] = smtp.to("reader@example.org")
    page.goto(link_in(confirmation, "confirm"))
    assert not Subscription.objects.exists()  # opening the link is not consent
    page.get_by_role("button", name=re.compile("Yes, follow")).click()
    expect(page.locator("h1")).to_have_text(re.compile("You follow"))

    desk = chromium.new_context(base_url=live_server.url).new_page()
    sign_in(desk)
    open_editor(desk, "HU")
    fill_entry(desk, summary="Budapest congratulates the winner.")
    desk.click("button:has-text('Save')")
    expect(desk.locator("#saved-message")).to_contain_text("Saved: Recognises")
    desk.context.close()

    run_worker()
    alert = smtp.to("reader@example.org")[-1]
    assert alert["Subject"].strip().startswith("Hungary: from No public position to Recognises")
    assert "Budapest congratulates the winner." in text_of(alert)
    page.goto(link_in(alert, "unsubscribe"))
    page.get_by_role("button", name="Stop these mails").click()
    expect(page.locator("[role=status]")).to_contain_text("no more mails about")
    assert not Subscription.objects.exists()


def test_a_bad_address_is_answered_in_place(page, demo):
    page.goto("/")
    form = page.locator("#follow")
    form.get_by_label("Your email address").fill("someone@mailinator.com")
    form.get_by_role("button", name="Follow").click()
    expect(form.locator(".field-error")).to_contain_text("throwaway mailboxes")
    expect(page.get_by_label("Your email address")).to_have_value("someone@mailinator.com")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_follow_pages_have_no_axe_violations(chromium, live_server, demo, theme):
    from axe_playwright_python.sync_playwright import Axe

    from stances.following import subscribing
    from stances.models import Follower, MemberState

    hungary = subscribing.Subject(member_state=MemberState.objects.get(code="HU"))
    follower = Follower.objects.create(email="reader@example.org")
    subscription = Subscription.objects.create(follower=follower, frequency="daily")
    confirm = subscribing.confirmation_token("reader@example.org", hungary, "instant")
    pages = [
        f"/follow/confirm/{confirm}/",
        f"/follow/manage/{subscribing.manage_token(follower)}/",
        f"/follow/unsubscribe/{subscribing.leave_token(subscription)}/",
        "/follow/confirm/not-a-token/",
    ]
    context = chromium.new_context(color_scheme=theme, base_url=live_server.url)
    page = context.new_page()
    found = {}
    for path in pages:
        page.goto(path)
        if path == pages[0]:
            page.get_by_role("button", name=re.compile("Yes, follow")).click()
            expect(page.locator("h1")).to_have_text(re.compile("You follow"))
        results = Axe().run(page)
        if results.violations_count:
            found[page.url] = results.generate_report()
    page.goto("/countries/hu/")
    page.locator("#follow").get_by_role("button", name="Follow").click()  # no address: an error
    expect(page.locator("#follow .field-error")).to_be_visible()
    results = Axe().run(page)
    if results.violations_count:
        found["the form with an error"] = results.generate_report()
    context.close()
    assert not found, "\n\n".join(f"{path}\n{report}" for path, report in found.items())
