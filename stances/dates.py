"""Reading dates that readers type into query strings, such as ?as_of=2024-03-18."""

import datetime

from django.utils import timezone

from stances.citing import long_date
from stances.models import EARLIEST_DATE


class BadDate(ValueError):
    """A date that cannot be used; the message says why, in words for the reader."""


def parse_as_of(value: str | None) -> datetime.date | None:
    """None for no date (today); otherwise a date between 1950 and today, or BadDate."""
    if value is None or value.strip() == "":
        return None
    try:
        date = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise BadDate(
            f"“{value[:40]}” is not a date. Use the form YYYY-MM-DD, for example 2024-03-18."
        ) from None
    if len(value.strip()) != 10:
        raise BadDate("Use the form YYYY-MM-DD, for example 2024-03-18.")
    if date < EARLIEST_DATE:
        raise BadDate(f"Dates before {long_date(EARLIEST_DATE)} are not covered.")
    if date > timezone.localdate():
        raise BadDate("That date is in the future: positions are known only up to today.")
    return date
