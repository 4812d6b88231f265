"""/api/: the API described for people, from the same description /api/openapi.json serves."""

import html as entities
import re
from html.parser import HTMLParser

import pytest

from stances.published.openapi import openapi_document
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    record(question, "HU", "no", "2024-03-09", summary="Budapest says no.")
    return question


class Outline(HTMLParser):
    """The page's headings (level, text), links and external assets."""

    def __init__(self):
        super().__init__()
        self.headings, self.links, self.assets, self._level = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self._level, self._text = int(tag[1]), ""
        if tag == "a":
            self.links.append(attrs.get("href"))
        if attrs.get("rel") == "alternate":
            return  # the page in another language: a link, not something loaded
        if tag in ("script", "link", "img") and (attrs.get("src") or attrs.get("href")):
            self.assets.append(attrs.get("src") or attrs.get("href"))

    def handle_data(self, data):
        if self._level:
            self._text += data

    def handle_endtag(self, tag):
        if self._level and tag == f"h{self._level}":
            self.headings.append((self._level, " ".join(self._text.split())))
            self._level = None


def outline(client, path="/api/"):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    parsed = Outline()
    parsed.feed(response.content.decode())
    return parsed, entities.unescape(response.content.decode())


def test_every_operation_is_listed_with_its_method_and_path(client, question):
    parsed, _ = outline(client)
    headings = [text for _, text in parsed.headings]
    for path, methods in openapi_document()["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in headings


def test_each_operation_has_an_example_that_answers(client, question):
    parsed, _ = outline(client)
    examples = [link for link in parsed.links if link and link.startswith("/api/")]
    assert "/api/questions/sanctions/stances" in examples
    assert "/api/member-states/gr" in examples
    for example in set(examples):
        assert client.get(example).status_code == 200, example


def test_parameters_show_where_they_go_their_type_and_description(client, question):
    _, html = outline(client)
    assert "<code>as_of</code>" in html
    assert "YYYY-MM-DD, from 1900 to today; today when absent." in html
    assert "string (date)" in html
    assert "integer (from 1)" in html  # page


def test_responses_link_to_a_readable_schema(client, question):
    parsed, html = outline(client)
    assert "#schema-StanceList" in parsed.links
    assert 'id="schema-StanceList"' in html
    assert 'always "public, max-age=0, s-maxage=60"' in html  # the documented Cache-Control
    assert "array of" in html and "#schema-Stance" in parsed.links


def test_the_webhook_and_its_body_are_described(client, question):
    parsed, html = outline(client)
    assert (3, "POST stanceChanged") in parsed.headings
    assert "#schema-StanceChangedEvent" in parsed.links
    assert "webhook-signature" in html
    assert 'id="schema-StanceChangedEvent.data"' in html  # the nested object, field by field


def test_headings_descend_one_level_at_a_time(client, question):
    parsed, _ = outline(client)
    levels = [level for level, _ in parsed.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_it_links_to_the_raw_description_and_loads_nothing_from_elsewhere(client, question):
    parsed, _ = outline(client)
    assert "/api/openapi.json" in parsed.links
    assert parsed.assets and all(asset.startswith("/") for asset in parsed.assets)


def test_without_any_question_the_page_still_answers(client):
    parsed, _ = outline(client)
    assert "/api/member-states/gr" in parsed.links


def test_the_page_is_cached_like_the_other_public_pages(client, question):
    response = client.get("/api/")
    assert "ETag" in response
    again = client.get("/api/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_other_unknown_addresses_under_api_are_still_json_404s(client):
    for path in ("/api/nothing", "/api/questions/", "/api/index.html"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path


def test_the_page_refuses_writes(client):
    assert client.post("/api/").status_code == 405


def test_the_about_page_and_the_footer_link_to_it(client):
    parsed, _ = outline(client, "/about/")
    assert parsed.links.count("/api/") >= 2
