"""Values as people write them in spreadsheets: member states, positions, dates, confidence.

A member state by its ISO code (GR), its EU code (EL) or its English name, in any case, with
or without diacritics, or by a common former name ("Czech Republic"); a position by its key or
its label; a date as YYYY-MM-DD or as day/month/year (or month/day/year, once the editor says
so). Each reader gives the value or raises ValueError with what to change.
"""

import datetime
import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stances.languages.calendar import formatted
from stances.models import EARLIEST_DATE, Confidence
from stances.transfer.columns import normalised

DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
DATE_ORDERS = [
    (DAY_FIRST, gettext_lazy("day/month/year (31/12/2024)")),
    (MONTH_FIRST, gettext_lazy("month/day/year")),
]
# Names people still use for a member state, each with the code of the state it names.
OTHER_NAMES = {
    "czech republic": "CZ",
    "the czech republic": "CZ",
    "slovak republic": "SK",
    "the netherlands": "NL",
    "holland": "NL",
    "republic of ireland": "IE",
    "eire": "IE",
    "republic of cyprus": "CY",
    "hellas": "GR",
}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
WRITTEN_DAY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


class MemberStates:
    """The 27 by every name the import accepts."""

    def __init__(self, member_states):
        self.by_name = {}
        for member_state in member_states:
            for name in (member_state.code, member_state.eu_code, member_state.name):
                self.by_name[normalised(name)] = member_state
        for name, code in OTHER_NAMES.items():
            self.by_name[name] = self.by_name[normalised(code)]

    def read(self, value: str):
        found = self.by_name.get(normalised(value))
        if found is None:
            raise ValueError(
                _(
                    "Unknown member state “%(value)s”: give its ISO code (GR), its EU code (EL) "
                    "or its English name (Greece)."
                )
                % {"value": value}
            )
        return found


def read_position(value: str, scale: list):
    """A position of `scale` by its key or its label, in any case."""
    wanted = normalised(value)
    for position in scale:
        if wanted in (normalised(position.key), normalised(position.label)):
            return position
    names = "; ".join(f"{p.key} ({p.label})" for p in scale)
    if value:
        message = _("Unknown position “%(value)s” for this question: use one of %(positions)s.")
    else:
        message = _("The position is empty: use one of %(positions)s.")
    raise ValueError(message % {"value": value, "positions": names})


def read_confidence(value: str) -> str:
    """A confidence by its key or its label, in the active language or in English."""
    wanted = normalised(value)
    with translation.override("en"):
        english = {key: normalised(label) for key, label in Confidence.choices}
    for key, label in Confidence.choices:
        if wanted in (key, normalised(label), english[key]):
            return key
    labels = ", ".join(f"{key} ({str(label).lower()})" for key, label in Confidence.choices)
    if value:
        message = _(
            "Unknown confidence “%(value)s”: use one of %(confidences)s, or choose one for "
            "every row in the form."
        )
    else:
        message = _(
            "The confidence is empty: use one of %(confidences)s, or choose one for every row "
            "in the form."
        )
    raise ValueError(message % {"value": value, "confidences": labels})


def read_day(value: str, order: str = DAY_FIRST) -> datetime.date:
    """YYYY-MM-DD, or day, month and year (month, day and year with MONTH_FIRST) separated by
    slashes, dots or hyphens; from EARLIEST_DATE to today."""
    earliest = formatted(EARLIEST_DATE, "j F Y")
    try:
        if ISO_DAY.fullmatch(value):
            day = datetime.date.fromisoformat(value)
        elif match := WRITTEN_DAY.fullmatch(value):
            first, second, year = (int(part) for part in match.groups())
            day_number, month = (first, second) if order == DAY_FIRST else (second, first)
            day = datetime.date(year, month, day_number)
        else:
            raise ValueError
    except ValueError:
        shown = _("day/month/year") if order == DAY_FIRST else _("month/day/year")
        raise ValueError(
            # Translators: keep YYYY-MM-DD as it is; %(order)s is day/month/year or the like.
            _(
                "“%(value)s” is not a date: write YYYY-MM-DD or %(order)s, from %(earliest)s "
                "to today."
            )
            % {"value": value, "order": shown, "earliest": earliest}
        ) from None
    if not EARLIEST_DATE <= day <= datetime.date.today():
        raise ValueError(
            _("%(day)s is out of range: dates go from %(earliest)s to today.")
            % {"day": formatted(day, "j F Y"), "earliest": earliest}
        )
    return day


def date_orders_possible(values) -> set[str]:
    """Which of DAY_FIRST and MONTH_FIRST read every written date of a column; both when the
    file cannot tell (every day and month is 12 or less), so the editor must say."""
    possible = {DAY_FIRST, MONTH_FIRST}
    for value in values:
        if match := WRITTEN_DAY.fullmatch(value):
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12:
                possible.discard(MONTH_FIRST)
            if second > 12:
                possible.discard(DAY_FIRST)
    return possible


def has_written_dates(values) -> bool:
    return any(WRITTEN_DAY.fullmatch(value) for value in values)
