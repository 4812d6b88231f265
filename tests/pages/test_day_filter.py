"""The `day` filter writes dates as Django's date filter does, in the language of the request."""

import datetime

from django.template import Context, Template
from django.utils import timezone, translation

from stances.languages.calendar import formatted

TEMPLATE = Template('{% load days %}{{ value|day:"j M Y" }}|{{ value|day:"Y-m-d" }}')


def render(value) -> str:
    return TEMPLATE.render(Context({"value": value}))


def test_a_date_reads_as_the_date_filter_writes_it():
    assert render(datetime.date(2024, 3, 5)) == "5 Mar 2024|2024-03-05"


def test_the_same_date_follows_the_active_language():
    render(datetime.date(2024, 3, 5))  # remembered in English first
    with translation.override("de"):
        assert render(datetime.date(2024, 3, 5)) == "05.03.2024|2024-03-05"  # CLDR's medium date


def test_long_dates_are_written_as_each_language_writes_them():
    day = datetime.date(2026, 12, 2)
    expected = {
        "en": "2 December 2026",
        "de": "2. Dezember 2026",
        "ro": "2 decembrie 2026",
        "el": "2 Δεκεμβρίου 2026",
        "pl": "2 grudnia 2026",
        "pt": "2 de dezembro de 2026",
        "mt": "2 ta’ Diċembru 2026",
        "hu": "2026. december 2.",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert formatted(day, "j F Y") == text


def test_a_datetime_is_written_in_the_current_time_zone():
    moment = datetime.datetime(2024, 3, 5, 23, 30, tzinfo=datetime.UTC)
    with timezone.override("Europe/Athens"):
        assert render(moment) == "6 Mar 2024|2024-03-06"


def test_nothing_is_written_for_no_date():
    assert render(None) == "|"
