"""When an entry was recorded or edited, as the panel writes it for editors: as the templates'
`date:"j M Y, H:i"` writes it, in the site's time zone and the reader's language."""

import datetime

import pytest
from django.utils import dateformat, timezone, translation

from stances.pages.markup import _moment

UTC = datetime.UTC


@pytest.mark.parametrize("language", ["en", "de", "pl", "mt"])
@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2024, 3, 5, 9, 7, tzinfo=UTC),
        datetime.datetime(2024, 3, 31, 0, 30, tzinfo=UTC),  # the clocks move in Brussels
        datetime.datetime(2024, 12, 31, 23, 30, tzinfo=UTC),  # already next year there
        datetime.datetime(2025, 5, 1, 22, 5, tzinfo=UTC),
    ],
)
def test_a_moment_is_written_as_the_date_format_writes_it(language, moment):
    with translation.override(language):
        expected = dateformat.format(timezone.localtime(moment), "j M Y, H:i")
        assert _moment(moment) == expected
        assert _moment(moment) == expected  # kept, the same


def test_the_new_year_comes_in_the_sites_time_zone():
    with translation.override("en"):
        assert _moment(datetime.datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == "1 Jan 2025, 00:30"
