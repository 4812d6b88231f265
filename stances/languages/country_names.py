"""Member states' names in the reader's language: CLDR's, through Babel, with the exceptions
the EU's own usage (the Interinstitutional Style Guide's list of countries) asks for.

English keeps the name recorded with the member state ("Czechia", "Netherlands"): it is the
EU's and it is what the downloads and the API carry. The protocol order never changes with the
language; only sorting a table by name does (sort_key).
"""

import re
from functools import cache

import pyuca
from babel import Locale
from django.utils.translation import get_language

from stances.languages import ENGLISH, babel_locale

# Where CLDR's name differs from the one the Union uses in that language, the Union's wins.
# Each entry: (language, ISO code) -> (name, why).
EXCEPTIONS = {
    ("et", "NL"): (
        "Madalmaad",
        "CLDR says “Holland”, a part of the country; the Union's Estonian texts say Madalmaad.",
    ),
    ("pl", "NL"): (
        "Niderlandy",
        "CLDR says “Holandia”, after a part of the country; the Union's Polish texts say "
        "Niderlandy.",
    ),
    # The United Kingdom (a member until 2020): CLDR gives the colloquial "Great Britain" in
    # these languages, the Union's texts the state's name.
    ("da", "GB"): ("Det Forenede Kongerige", "CLDR says “Storbritannien” (Great Britain)."),
    ("fi", "GB"): ("Yhdistynyt kuningaskunta", "CLDR says “Iso-Britannia” (Great Britain)."),
    ("pl", "GB"): ("Zjednoczone Królestwo", "CLDR says “Wielka Brytania” (Great Britain)."),
    ("sv", "GB"): ("Förenade kungariket", "CLDR says “Storbritannien” (Great Britain)."),
    ("mt", "CZ"): (
        "iċ-Ċekja",
        "CLDR gives the long form “ir-Repubblika Ċeka”; the Union uses the short name "
        "Czechia in every language, iċ-Ċekja in Maltese.",
    ),
}


def local_name(code: str, english: str, language: str | None = None) -> str:
    """The member state's (or former member's) name in `language` (the active one)."""
    language = language or get_language() or ENGLISH
    if language == ENGLISH or language.startswith(ENGLISH + "-"):
        return english
    return _name(language, code) or english


@cache
def _name(language: str, code: str) -> str | None:
    if (language, code) in EXCEPTIONS:
        return EXCEPTIONS[(language, code)][0]
    try:
        return Locale.parse(babel_locale(language)).territories.get(code)
    except (ValueError, LookupError):
        return None


_collator = pyuca.Collator()
# Irish and Maltese names begin with the article ("an Fhrainc", "il-Belġju", "l-Italja"):
# readers look for them under the noun.
ARTICLES = re.compile(r"^(an t-?|an |na |(?:i[lċdnrstxżz]|l)-)", re.IGNORECASE)


def sort_key(name: str) -> tuple:
    """A key that orders names as the Unicode Collation Algorithm does (accents after the bare
    letter, Greek and Cyrillic as their alphabets), the article of Irish and Maltese names set
    aside."""
    return _collator.sort_key(ARTICLES.sub("", name))
