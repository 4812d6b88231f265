"""The embed in an article, as a newsroom pastes it: it grows to its content, no inner scroll."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.test_map import OCCUPIED


@pytest.fixture
def article():
    """A newspaper of its own: another origin than the site's, served over real HTTP (on the
    loopback, since Chromium lets no public page reach into a private network). Set `.html`."""

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            body = server.html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    server.html = ""
    server.url = f"http://127.0.0.1:{server.server_port}/story"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def article_with(snippet: str) -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Story</title></head>
    <body style="margin:0"><article style="width:680px;margin:0 auto"><p>Text before.</p>
    {snippet}<p id="after">Text after.</p></article></body></html>"""


def snippet_from_the_map_page(page, show="outcome", theme="auto"):
    page.goto(OCCUPIED)
    page.check(f"input[name=embed-show][value={show}]")
    page.check(f"input[name=embed-theme][value={theme}]")
    return page.input_value("#embed-code")


def serve(page, article, html):
    article.html = html
    page.goto(article.url)


@pytest.mark.parametrize("show", ["map", "legend", "outcome"])
def test_the_snippet_grows_to_its_content_in_an_article_column(page, demo, article, show):
    snippet = snippet_from_the_map_page(page, show=show)
    assert "<script async src=" in snippet and "embed.js" in snippet
    serve(page, article, article_with(snippet))
    frame_element = page.locator("iframe")
    frame = page.frame_locator("iframe")
    expect(frame.locator(".map")).to_be_visible()
    expect(frame.locator("#outcome")).to_have_count(1 if show == "outcome" else 0)
    expect(frame.locator("#legend")).to_have_count(0 if show == "map" else 1)
    # Sized to the content: the frame is as tall as its page, which does not scroll inside it.
    inside = page.frames[1]
    for _ in range(50):
        outer = frame_element.evaluate("f => f.getBoundingClientRect().height")
        content = inside.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
        if abs(outer - content) <= 1:
            break
        page.wait_for_timeout(100)
    assert abs(outer - content) <= 1, (outer, content)
    assert inside.evaluate("document.documentElement.scrollHeight - innerHeight") <= 1
    assert frame_element.evaluate("f => f.getBoundingClientRect().width") == 680


def test_without_the_script_the_frame_keeps_a_sensible_height(page, demo, article):
    snippet = re.sub(r"<script[^>]*></script>", "", snippet_from_the_map_page(page, show="legend"))
    serve(page, article, article_with(snippet))
    height = page.locator("iframe").evaluate("f => f.getBoundingClientRect().height")
    content = (
        page.frame_locator("iframe")
        .locator("body")
        .evaluate("b => b.getBoundingClientRect().height")
    )
    assert height == 1040
    assert content <= height  # nothing cut off at 680 pixels


def test_the_dark_theme_in_the_address_holds_whatever_the_system(page, demo, article):
    snippet = snippet_from_the_map_page(page, theme="dark")
    assert "theme=dark" in snippet
    serve(page, article, article_with(snippet))
    background = (
        page.frame_locator("iframe")
        .locator("html")
        .evaluate("h => getComputedStyle(h).backgroundColor")
    )
    assert background == "rgb(21, 24, 28)"


def test_the_embed_links_back_and_sets_no_cookie(page, demo, live_server):
    response = page.request.get(live_server.url + OCCUPIED + "embed/?show=map&theme=light")
    assert response.status == 200
    assert "set-cookie" not in {name.lower() for name in response.headers}
    page.goto(OCCUPIED + "embed/")
    assert page.context.cookies() == []
    expect(page.locator(".embed-credit a")).to_have_attribute("href", OCCUPIED)


def test_copy_buttons_copy_the_citation_the_permalink_and_the_embed_code(page, demo):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(OCCUPIED)
    page.click("text=Copy the permalink")
    expect(page.locator("[data-copied]").first).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == page.get_attribute(
        "#permalink", "href"
    )
    page.click("text=Copy the embed code")
    assert page.evaluate("navigator.clipboard.readText()").startswith("<iframe src=")
