"""The time slider's range, ticks and steps, and the page that carries it (without script)."""

import datetime
import re

import pytest
from django.urls import reverse

from stances.pages.slider import Slider
from tests.factories import make_question, record

day = datetime.date.fromisoformat
DATES = [day("2024-01-01"), day("2024-01-11"), day("2024-03-01")]
TODAY = day("2024-04-10")


def test_the_range_runs_from_the_first_record_to_today_in_days():
    slider = Slider.of(DATES, day("2024-01-11"), TODAY)
    assert (slider.days, slider.value) == (100, 10)
    assert slider.ticks == [0.0, 100.0, 600.0]
    assert slider.day_text == "11 January 2024"


def test_the_ticks_are_drawn_as_one_svg_path_a_stroke_each():
    slider = Slider.of(DATES, day("2024-01-11"), TODAY)
    assert slider.tick_path == "M0 0v10M100 0v10M600 0v10"
    uneven = Slider.of([day("2024-01-01"), day("2024-01-04")], day("2024-01-04"), TODAY)
    assert uneven.tick_path == "M0 0v10M30 0v10"


def test_steps_go_to_the_previous_and_next_change():
    on_a_change = Slider.of(DATES, day("2024-01-11"), TODAY)
    assert (on_a_change.previous, on_a_change.next) == (DATES[0], DATES[2])
    between = Slider.of(DATES, day("2024-02-01"), TODAY)
    assert (between.previous, between.next) == (DATES[1], DATES[2])
    today = Slider.of(DATES, None, TODAY)
    assert (today.previous, today.next) == (DATES[2], None)
    first = Slider.of(DATES, DATES[0], TODAY)
    assert first.previous is None


def test_a_date_before_the_first_record_starts_the_range_there():
    slider = Slider.of(DATES, day("2023-12-22"), TODAY)
    assert (slider.start, slider.value, slider.next) == (day("2023-12-22"), 0, DATES[0])


def test_ticks_too_close_to_tell_apart_are_drawn_once():
    dates = [day("2000-01-01") + datetime.timedelta(days=n) for n in range(0, 9000)]
    ticks = Slider.of(dates, None, day("2024-12-31")).ticks
    assert len(ticks) <= 501
    assert all(b - a >= 2 for a, b in zip(ticks, ticks[1:], strict=False))


def test_no_history_no_slider():
    assert Slider.of([], None, TODAY) is None


@pytest.mark.django_db
def test_the_map_page_carries_the_slider_hidden_until_script_shows_it_and_links_for_the_steps(
    client,
):
    question = make_question()
    for on in ("2024-01-01", "2024-01-11", "2024-03-01"):
        record(question, "HU", "yes" if on != "2024-01-11" else "no", on)
    html = client.get(reverse("question", args=[question.slug]), {"as_of": "2024-01-11"})
    html = html.content.decode()
    assert re.search(r'<div class="slider" data-slider data-start="2024-01-01" hidden>', html)
    assert 'aria-valuetext="11 January 2024"' in html
    assert re.search(r'<path d="M0 0v10M[\d.]+ 0v10M[\d.]+ 0v10"/></svg>', html)
    assert 'href="?as_of=2024-01-01" hx-get="?as_of=2024-01-01" data-previous-change' in html
    assert 'href="?as_of=2024-03-01" hx-get="?as_of=2024-03-01" data-next-change' in html
