"""Calendar dates written out for readers in their language: "2 December 2026",
"2. Dezember 2026", "2 decembrie 2026", "2 Δεκεμβρίου 2026", "6 ta’ Diċembru 2026".

Templates and code name Django's date formats ("j F Y"); in English they are written as
Django writes them, as they always were. In the other languages the usual ones are written as
CLDR (through Babel) has each language write that kind of date, with its word order, its
cases (Polish and Greek put the month in the genitive) and its punctuation; Django has neither
Maltese nor the case forms for every language. Anything else (ISO dates) is Django's.

The map page writes the same few hundred dates on every render, so each date is formatted once
per process, format and language.
"""

import datetime
import functools

from babel.dates import format_date, format_skeleton
from django.template.defaultfilters import date as date_filter
from django.utils.translation import get_language, override

from stances.languages import ENGLISH, babel_locale

# Django's format → CLDR's own long and medium dates, or a skeleton for the same information
# (which each language orders as it does).
STANDARD = {"j F Y": "long", "j M Y": "medium"}  # 2 December 2026, 2 Dec 2026
SKELETONS = {
    "j F": "MMMMd",  # 2 December
    "j M": "MMMd",  # 2 Dec
    "F Y": "yMMMM",  # December 2026
    "M Y": "yMMM",  # Dec 2026
}


def formatted(value: datetime.date, format_string: str) -> str:
    """`value` as Django's date filter would write it with `format_string`, in the active
    language's own way."""
    return _formatted(value, format_string, get_language() or ENGLISH)


@functools.lru_cache(maxsize=8192)
def _formatted(value: datetime.date, format_string: str, language: str) -> str:
    if language != ENGLISH and format_string in STANDARD:
        return format_date(value, STANDARD[format_string], locale=babel_locale(language))
    if language != ENGLISH and format_string in SKELETONS:
        return format_skeleton(SKELETONS[format_string], value, locale=babel_locale(language))
    with override(language):
        return date_filter(value, format_string)
