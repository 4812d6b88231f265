"""Reading dates that readers type into query strings, such as ?as_of=2024-03-18, and writing
calendar dates for readers."""

import datetime
import functools
import re

from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import get_language

from stances.citing import long_date
from stances.models import EARLIEST_DATE

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class BadDate(ValueError):
    """A date that cannot be used; the message says why, in words for the reader."""


def parse_as_of(value: str | None) -> datetime.date | None:
    """None for no date (today); otherwise a date from EARLIEST_DATE to today, or BadDate."""
    if value is None or value.strip() == "":
        return None
    try:
        date = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise BadDate(
            f"“{value[:40]}” is not a date. Use the form YYYY-MM-DD, for example 2024-03-18."
        ) from None
    # fromisoformat also reads weeks and compact forms (2024-W12-1, 20240318).
    if not ISO_DAY.fullmatch(value.strip()):
        raise BadDate("Use the form YYYY-MM-DD, for example 2024-03-18.")
    if date < EARLIEST_DATE:
        raise BadDate(f"Dates before {long_date(EARLIEST_DATE)} are not covered.")
    if date > timezone.localdate():
        raise BadDate("That date is in the future: positions are known only up to today.")
    return date


def parse_period(
    start: str | None, end: str | None, first_record: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    """The two dates of a comparison, `?from=` and `?to=`, or BadDate saying what to change.

    `to` defaults to today and `from` to the first recorded day; neither may come before
    that day, nor `from` after `to`.
    """
    if first_record is None:
        raise BadDate("Nothing is recorded on this question yet, so there is nothing to compare.")
    start_date = _parameter("from", start) or first_record
    end_date = _parameter("to", end) or timezone.localdate()
    for name, date in (("from", start_date), ("to", end_date)):
        if date < first_record:
            raise BadDate(
                f"“{name}” is {long_date(date)}, before the first record on this question "
                f"({long_date(first_record)}). Choose a date from then on."
            )
    if start_date > end_date:
        raise BadDate(
            f"“from” ({long_date(start_date)}) is after “to” ({long_date(end_date)}). "
            "Put the earlier date first."
        )
    return start_date, end_date


def _parameter(name: str, value: str | None) -> datetime.date | None:
    try:
        return parse_as_of(value)
    except BadDate as error:
        raise BadDate(f"“{name}”: {error}") from None


def formatted(value: datetime.date, format_string: str) -> str:
    """A calendar date as Django's date filter writes it ("j M Y": "2 Dec 2026"), remembered.

    The map page writes the same few hundred dates on every render, and formatting one costs a
    dozen locale look-ups; a calendar date formats the same way for a given format and
    language, so each is formatted once per process.
    """
    return _formatted(value, format_string, get_language())


@functools.lru_cache(maxsize=8192)
def _formatted(value: datetime.date, format_string: str, language) -> str:
    return date_filter(value, format_string)
