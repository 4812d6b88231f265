"""A long timeline in the panel: the newest entries (or those around the date shown), and a
link to every one."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from stances.timeline import PANEL_ENTRIES, panel_window
from tests.factories import make_question, record

day = datetime.date.fromisoformat


def entries(count):
    """Newest first, a day apart, the newest on 1 March 2024 + count - 1 days."""
    first = day("2024-03-01")
    return [
        SimpleNamespace(effective_on=first + datetime.timedelta(days=n))
        for n in reversed(range(count))
    ]


def test_a_short_timeline_is_listed_whole():
    shown, later, earlier = panel_window(entries(PANEL_ENTRIES), None)
    assert (len(shown), later, earlier) == (PANEL_ENTRIES, 0, 0)


def test_a_long_one_lists_the_newest_and_counts_the_rest():
    timeline = entries(40)
    shown, later, earlier = panel_window(timeline, None)
    assert shown == timeline[:PANEL_ENTRIES]
    assert (later, earlier) == (0, 15)


def test_as_of_a_past_date_it_starts_two_entries_after_that_date():
    timeline = entries(40)  # 1 March to 9 April 2024
    shown, later, earlier = panel_window(timeline, day("2024-03-10"))
    assert [e.effective_on for e in shown[:3]] == [
        day("2024-03-12"),
        day("2024-03-11"),
        day("2024-03-10"),
    ]
    assert (later, earlier) == (28, 40 - 28 - len(shown))


def test_all_of_it_when_asked():
    timeline = entries(40)
    assert panel_window(timeline, day("2024-03-10"), show_all=True) == (timeline, 0, 0)


@pytest.fixture
def long_history(db):
    question = make_question(slug="sanctions")
    for n in range(30):
        on = day("2024-03-01") + datetime.timedelta(days=n)
        record(question, "HU", "no" if n % 2 else "maybe", on, summary=f"Entry {n}", sources=[])
    return question


def url(**query):
    return reverse("country_timeline", args=["sanctions", "hu"]), query


@pytest.mark.django_db
def test_the_panel_lists_the_newest_entries_and_links_to_all(client, long_history):
    path, _ = url()
    html = client.get(path).content.decode()
    assert html.count('class="timeline-entry') == PANEL_ENTRIES
    assert "Entry 29" in html and "Entry 4<" not in html
    assert re.search(r"5 earlier changes not listed here", html)
    assert f'href="{path}?changes=all"' in html
    everything = client.get(path, {"changes": "all"}).content.decode()
    assert everything.count('class="timeline-entry') == 30


@pytest.mark.django_db
def test_as_of_a_date_the_panel_shows_the_entries_around_it(client, long_history):
    path, _ = url()
    html = client.get(path, {"as_of": "2024-03-10"}).content.decode()
    assert "Entry 9<" in html and "Entry 11<" in html and "Entry 12<" not in html
    assert "18 later changes not listed here" in html
    assert f'href="{path}?as_of=2024-03-10&amp;changes=all"' in html


@pytest.mark.django_db
def test_any_other_value_of_changes_is_a_400(client, long_history):
    path, _ = url()
    response = client.get(path, {"changes": "some"})
    assert response.status_code == 400
    assert "“changes” takes one value, all" in response.content.decode()
