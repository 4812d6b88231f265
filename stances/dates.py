"""Reading dates that readers type into query strings, such as ?as_of=2024-03-18 (writing them
for readers is stances/languages/calendar.py)."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
            _("“%(value)s” is not a date. Use the form YYYY-MM-DD, for example 2024-03-18.")
            % {"value": value[:40]}
        ) from None
    # fromisoformat also reads weeks and compact forms (2024-W12-1, 20240318).
    if not ISO_DAY.fullmatch(value.strip()):
        raise BadDate(_("Use the form YYYY-MM-DD, for example 2024-03-18."))
    if date < EARLIEST_DATE:
        raise BadDate(
            _("Dates before %(date)s are not covered.") % {"date": long_date(EARLIEST_DATE)}
        )
    if date > timezone.localdate():
        raise BadDate(_("That date is in the future: positions are known only up to today."))
    return date


def parse_period(
    start: str | None, end: str | None, first_record: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    """The two dates of a comparison, `?from=` and `?to=`, or BadDate saying what to change.

    `to` defaults to today and `from` to the first recorded day; neither may come before
    that day, nor `from` after `to`.
    """
    if first_record is None:
        raise BadDate(
            _("Nothing is recorded on this question yet, so there is nothing to compare.")
        )
    start_date = _parameter("from", start) or first_record
    end_date = _parameter("to", end) or timezone.localdate()
    for name, date in (("from", start_date), ("to", end_date)):
        if date < first_record:
            raise BadDate(
                _(
                    # Translators: %(name)s is one of the comparison's two dates: "from" or "to".
                    "“%(name)s” is %(date)s, before the first record on this question "
                    "(%(first)s). Choose a date from then on."
                )
                % {"name": _shown(name), "date": long_date(date), "first": long_date(first_record)}
            )
    if start_date > end_date:
        raise BadDate(
            # Translators: "from" and "to" are the comparison's two dates, as the form labels them.
            _("“from” (%(start)s) is after “to” (%(end)s). Put the earlier date first.")
            % {"start": long_date(start_date), "end": long_date(end_date)}
        )
    return start_date, end_date


def _parameter(name: str, value: str | None) -> datetime.date | None:
    try:
        return parse_as_of(value)
    except BadDate as error:
        # Translators: %(name)s is one of the comparison's two dates ("from" or "to"), then
        # what is wrong with it.
        raise BadDate(_("“%(name)s”: %(error)s") % {"name": _shown(name), "error": error}) from None


def _shown(name: str) -> str:
    """A comparison's date as the reader's form labels it (`name` is the address's, `from`)."""
    if name == "from":
        return pgettext("the first date of a comparison", "from")
    return pgettext("the second date of a comparison", "to")
