"""Reading ?as_of= and other dates typed by readers: a date, nothing, or a clear message."""

import datetime

import pytest
from django.utils import timezone

from stances.dates import BadDate, parse_as_of


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_date_means_today(value):
    assert parse_as_of(value) is None


def test_a_date_in_the_iso_form_is_read():
    assert parse_as_of("2024-03-18") == datetime.date(2024, 3, 18)


def test_surrounding_spaces_are_ignored():
    assert parse_as_of(" 2024-03-18 ") == datetime.date(2024, 3, 18)


def test_today_is_accepted():
    today = timezone.localdate()
    assert parse_as_of(today.isoformat()) == today


@pytest.mark.parametrize(
    "value", ["2024-13-01", "2024-02-30", "18/03/2024", "yesterday", "2024-3-18", "20240318"]
)
def test_a_malformed_date_says_which_form_to_use(value):
    with pytest.raises(BadDate, match="YYYY-MM-DD"):
        parse_as_of(value)


def test_a_date_before_1900_is_refused():
    with pytest.raises(BadDate, match="before 1 January 1900"):
        parse_as_of("1899-12-31")


def test_a_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(BadDate, match="future"):
        parse_as_of(tomorrow.isoformat())


def test_a_bad_date_is_a_value_error_with_a_short_message():
    with pytest.raises(ValueError) as error:
        parse_as_of("x" * 500)
    assert len(str(error.value)) < 200
