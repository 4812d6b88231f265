"""The Content-Security-Policy in a real browser: htmx, editing and the admin work under it
without a single violation, and other sites may frame only the embed page."""

import html
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import pass_second_step, was_not_reloaded
from tests.browser.test_editing import fill_entry, open_editor, sign_in
from tests.factories import make_editor

OCCUPIED = "/questions/occupied-territories-vote-2024/"


def violations(page) -> list[str]:
    return [error for error in page.console_errors if "Content Security Policy" in error]


@pytest.fixture
def admin(demo):
    return get_user_model().objects.create_superuser("root", password="a-long-admin-password")


class Article(BaseHTTPRequestHandler):
    """Another site's article that shows the page named in ?src= in an <iframe>."""

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        if "src" not in query:  # the browser asking for /favicon.ico
            self.send_error(404)
            return
        src = html.escape(query["src"][0])
        body = f'<!doctype html><h1>News</h1><iframe id="ours" src="{src}"></iframe>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    """A real server on another origin: Chromium lets no public page frame a local one."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/article"
    server.shutdown()
    server.server_close()


def framing_page(page, live_server, other_site, path):
    page.goto(f"{other_site}?{urlencode({'src': live_server.url + path})}")
    return page.frame_locator("#ours")


def test_the_map_page_and_its_htmx_swaps_run_without_a_violation(page, demo):
    page.goto(OCCUPIED)
    page.evaluate("window.__notReloaded = true")
    page.fill("#as-of-date", "2024-03-15")
    page.dispatch_event("#as-of-date", "change")
    expect(page).to_have_url(re.compile(r"\?as_of=2024-03-15$"))
    page.click("#map-MT circle")
    expect(page.locator("#panel-heading")).to_have_text("Malta")
    page.click("#table th a:has-text('Since')")
    expect(page).to_have_url(re.compile(r"sort=since"))
    assert was_not_reloaded(page)
    assert violations(page) == []
    assert page.console_errors == []


def test_editing_in_place_runs_without_a_violation(page, demo):
    make_editor("alice", "correct horse battery staple")
    sign_in(page, OCCUPIED)
    open_editor(page, "HU")
    fill_entry(page)
    page.click("button:has-text('Save')")
    expect(page.locator("#saved-message")).to_contain_text("Saved")
    assert violations(page) == []


def test_the_admin_runs_without_a_violation(page, admin):
    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-admin-password")
    page.click("input[type=submit]")
    pass_second_step(page, "root")  # the admin's sign-in ends at the site's second step
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto("/admin/stances/stance/")
    page.click("#result_list tbody tr a")
    page.locator(".select2-selection").first.click()
    page.keyboard.type("Recognition")
    expect(page.locator(".select2-results__option").first).to_be_visible()
    page.keyboard.press("Escape")
    page.goto(page.url.replace("/change/", "/history/"))
    expect(page.locator("#change-history")).to_be_visible()
    page.goto("/admin/stances/question/add/")
    page.click("#id_title")
    page.keyboard.type("A new question")
    expect(page.locator("#id_slug")).to_have_value("a-new-question")
    page.goto("/admin/stances/stancechange/import/")
    assert violations(page) == []


def test_another_site_cannot_frame_the_map_page(page, live_server, other_site, demo):
    frame = framing_page(page, live_server, other_site, OCCUPIED)
    expect(frame.locator("body")).to_contain_text("refused to connect")
    expect(frame.locator("#map-HU")).to_have_count(0)
    assert any("frame-ancestors 'none'" in error for error in violations(page))


def test_another_site_can_frame_the_embed_page(page, live_server, other_site, demo):
    frame = framing_page(page, live_server, other_site, OCCUPIED + "embed/")
    expect(frame.locator("h1")).to_contain_text("occupied")
    expect(frame.locator("#map-HU")).to_be_visible()
    assert violations(page) == []
