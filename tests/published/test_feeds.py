"""Atom feeds of stance changes: valid Atom, newest first, linking to the country timelines."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from stances.published import feeds
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def question():
    question = make_question(slug="sanctions", title="Sanctions")
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.")
    record(
        question,
        "HU",
        "no",
        "2024-03-09",
        summary="Budapest says <no>.",
        sources=[make_source(title="Orbán: no", publisher="MTI")],
    )
    return question


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_site_wide_feed_is_valid_atom_with_the_required_elements(client, question):
    response = client.get("/feeds/changes.atom")
    parse(response)
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    for name in ["id", "title", "updated", "author"]:
        assert root.find(ATOM + name) is not None, name
    for entry in root.findall(ATOM + "entry"):
        for name in ["id", "title", "updated", "link", "summary"]:
            assert entry.find(ATOM + name) is not None, name


def test_entries_are_the_changes_newest_first(client, question):
    feed = parse(client.get("/feeds/changes.atom"))
    assert [e.title for e in feed.entries] == [
        "Hungary: Opposes — Sanctions",
        "Hungary: Undecided — Sanctions",
    ]


def test_entries_link_to_the_country_timeline(client, question):
    feed = parse(client.get("/feeds/changes.atom"))
    timeline = reverse("country_timeline", args=["sanctions", "hu"])
    assert feed.entries[0].link == f"http://testserver{timeline}"


def test_each_entry_has_its_own_id(client, question):
    feed = parse(client.get("/feeds/changes.atom"))
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) == 2
    assert all(i.startswith("http://testserver/") for i in ids)


def test_the_summary_carries_the_position_date_and_sources_escaped(client, question):
    entry = parse(client.get("/feeds/changes.atom")).entries[0]
    assert "Opposes" in entry.summary
    assert "9 March 2024" in entry.summary
    assert "Budapest says &lt;no&gt;." in entry.summary
    assert "Orbán: no" in entry.summary and "MTI" in entry.summary


def test_the_feed_holds_at_most_fifty_entries(client, question, monkeypatch):
    monkeypatch.setattr(feeds, "ENTRIES", 1)
    assert len(parse(client.get("/feeds/changes.atom")).entries) == 1


def test_the_question_feed_has_only_that_questions_changes(client, question):
    other = make_question(title="Other")
    record(other, "FR", "yes", "2024-03-02")
    feed = parse(client.get(reverse("question_changes_feed", args=["sanctions"])))
    assert feed.feed.title == "Stances: Sanctions"
    assert feed.feed.link == "http://testserver/questions/sanctions/"
    assert len(feed.entries) == 2


def test_draft_questions_stay_out_of_the_feeds(client, question):
    draft = make_question(published=False, title="Draft")
    record(draft, "FR", "yes", "2024-03-02")
    feed = parse(client.get("/feeds/changes.atom"))
    assert all("Draft" not in e.title for e in feed.entries)
    assert client.get(reverse("question_changes_feed", args=[draft.slug])).status_code == 404


def test_an_empty_feed_is_still_valid(client):
    make_question(slug="quiet")
    parse(client.get("/questions/quiet/changes.atom"))


def test_feeds_revalidate_by_etag(client, question):
    response = client.get("/feeds/changes.atom")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    again = client.get("/feeds/changes.atom", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_the_feed_costs_a_constant_number_of_queries(
    client, question, django_assert_max_num_queries
):
    for day in range(10, 20):
        record(question, "DE", "yes" if day % 2 else "no", f"2024-03-{day}")
    with django_assert_max_num_queries(3):  # the revision included
        client.get("/feeds/changes.atom")
