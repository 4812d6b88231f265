"""ChangeDay: the days of each question's changes, kept by the database whoever writes them."""

import datetime

import pytest
from django.utils import dateformat
from django.utils.timezone import localtime

from stances.models import ChangeDay, StanceChange
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db
day = datetime.date.fromisoformat


def days_of(question) -> dict:
    rows = ChangeDay.objects.filter(question=question).order_by("day")
    return {row.day.isoformat(): row.last_recorded_at for row in rows}


def test_each_day_with_a_change_is_listed_once_per_question():
    question, other = make_question(), make_question()
    record(question, "HU", "yes", "2024-03-01")
    record(question, "SK", "no", "2024-03-01")
    record(question, "HU", "no", "2024-03-05")
    record(other, "HU", "yes", "2024-04-01")
    assert list(days_of(question)) == ["2024-03-01", "2024-03-05"]
    assert list(days_of(other)) == ["2024-04-01"]


def test_a_day_carries_when_its_latest_change_was_recorded():
    question = make_question()
    first = record(question, "HU", "yes", "2024-03-01")
    second = record(question, "SK", "no", "2024-03-01")
    assert second.recorded_at > first.recorded_at
    assert days_of(question)["2024-03-01"] == second.recorded_at


def test_a_day_goes_when_its_last_change_is_deleted_and_stays_while_one_is_left():
    question = make_question()
    first = record(question, "HU", "yes", "2024-03-01")
    second = record(question, "SK", "no", "2024-03-01")
    StanceChange.objects.filter(pk=second.pk).delete()
    assert days_of(question) == {"2024-03-01": first.recorded_at}
    StanceChange.objects.filter(pk=first.pk).delete()
    assert days_of(question) == {}


def test_a_change_moved_to_another_day_moves_its_day():
    question = make_question()
    change = record(question, "HU", "yes", "2024-03-01")
    StanceChange.objects.filter(pk=change.pk).update(effective_on=day("2024-03-09"))
    assert list(days_of(question)) == ["2024-03-09"]


def test_the_map_page_reads_its_slider_days_and_last_update_from_them(client):
    question = make_question()
    record(question, "HU", "yes", "2024-03-01")
    latest = record(question, "SK", "no", "2024-03-05")
    page = client.get(f"/questions/{question.slug}/").content.decode()
    assert 'data-start="2024-03-01"' in page
    assert f'datetime="{dateformat.format(localtime(latest.recorded_at), "c")}"' in page
