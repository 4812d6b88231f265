"""What each column of a spreadsheet means to the import, guessed from its header.

Newsrooms name their columns as they like ("ISO", "Country", "Taken on", "Stance", "Link",
"Outlet"); the import guesses a meaning for each from its header, the editor confirms or
changes it, and the rows are then read by meaning. A column whose header means nothing to the
import is ignored, and so is a second column guessed to mean the same as an earlier one.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

IGNORED = ""


@dataclass(frozen=True)
class Meaning:
    key: str  # the name the rows are read by; the exports' own column names
    label: str  # how the mapping step names it (lazy: in the editor's language)
    headers: tuple[str, ...]  # headers that mean it, as `normalised` writes them


MEANINGS = (
    Meaning("question", _("Question (its slug)"), ("question", "question slug", "slug")),
    Meaning(
        "code",
        _("Member state (code or name)"),
        (
            "code",
            "iso",
            "iso2",
            "iso code",
            "iso 2",
            "country code",
            "eu code",
            "country",
            "country name",
            "member state",
            "member state code",
            "state",
        ),
    ),
    Meaning(
        "position",
        _("Position (key or label)"),
        ("position", "stance", "status", "position key", "position label"),
    ),
    Meaning(
        "effective_on",
        _("Taken on (date)"),
        ("effective on", "date", "taken on", "taken", "date taken", "effective date", "day"),
    ),
    Meaning("confidence", _("Confidence"), ("confidence", "certainty")),
    Meaning("summary", _("Summary"), ("summary", "note", "notes", "comment", "comments")),
    Meaning(
        "source_url",
        _("Source address (URL)"),
        ("source url", "url", "link", "source", "source link", "address", "web address"),
    ),
    Meaning("source_title", _("Source title"), ("source title", "title", "headline")),
    Meaning(
        "source_publisher",
        _("Source publisher"),
        ("source publisher", "publisher", "outlet", "media", "newspaper", "publication"),
    ),
    Meaning(
        "source_published_on",
        _("Source published on (date)"),
        ("source published on", "published on", "published", "publication date", "source date"),
    ),
)
BY_KEY = {meaning.key: meaning for meaning in MEANINGS}
BY_HEADER = {header: meaning.key for meaning in MEANINGS for header in meaning.headers}
# Translators: what a column of a spreadsheet means when the import leaves it out.
CHOICES = [(IGNORED, _("Ignored")), *((m.key, m.label) for m in MEANINGS)]


def normalised(text: str) -> str:
    """Lower case, without diacritics or punctuation: "Taken_on " and "taken on" alike."""
    decomposed = unicodedata.normalize("NFKD", str(text))  # a lazy label too
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def guess(header: list[str]) -> list[str]:
    """A meaning for each column (IGNORED where none), each meaning at most once."""
    taken = set()
    meanings = []
    for name in header:
        meaning = BY_HEADER.get(normalised(name), IGNORED)
        if meaning in taken:
            meaning = IGNORED
        taken.add(meaning)
        meanings.append(meaning)
    return meanings
