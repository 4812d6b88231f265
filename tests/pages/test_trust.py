"""What readers need to trust the records: how they are made, when they last changed, how to
report an error, under what licence they may be reused."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from stances.models import StanceChange
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    record(question, "HU", "maybe", "2024-03-01")
    record(question, "FR", "yes", "2024-03-05")
    return question


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_about_page_says_how_positions_are_recorded_counted_and_reused(client, settings):
    settings.DATA_LICENCE, settings.DATA_LICENCE_URL = (
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    settings.CORRECTIONS_EMAIL = "corrections@stances.example.org"
    response = client.get(reverse("about"))
    assert response.status_code == 200
    page = text(response)
    for words in (
        "Official statement",
        "Inferred",
        "What “as of” replays",
        "Art. 16(4) TEU",
        "Art. 238(2) TFEU",
        "1 November 2014",
        "demo_gind",
        "CC BY 4.0",
        "corrections@stances.example.org",
    ):
        assert words in page, words
    assert 'rel="license"' in response.content.decode()


def test_every_page_links_to_it(client, question):
    for path in ("/", reverse("question", args=["sanctions"]), "/countries/hu/"):
        assert 'href="/about/"' in client.get(path).content.decode()


def test_the_question_page_says_when_it_was_last_updated(client, question):
    # The site's day, not UTC's: between 23:00 and midnight UTC they differ.
    latest = timezone.localtime(StanceChange.objects.order_by("-recorded_at").first().recorded_at)
    page = text(client.get(reverse("question", args=["sanctions"])))
    assert f"Last updated {latest:%-d %B %Y} (the latest change recorded)" in page


def test_every_download_says_when_the_question_was_last_updated(client, question):
    latest = StanceChange.objects.order_by("-recorded_at").first().recorded_at.isoformat()
    for name in ("question_export_json", "question_timeline_json", "question_compare_json"):
        body = json.loads(client.get(reverse(name, args=["sanctions"])).content)
        assert body["last_updated"].replace("Z", "+00:00")[:19] == latest[:19], name
    for name in ("question_export_csv", "question_timeline_csv", "question_compare_csv"):
        content = client.get(reverse(name, args=["sanctions"])).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content)))
        assert rows and all(row["last_updated"][:19] == latest[:19] for row in rows), name
