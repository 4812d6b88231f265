"""How a question is cited and named when it leaves the site: permalinks, citations, file
names and dates written out for readers."""

import datetime

from django.utils.translation import gettext as _

from stances.languages import calendar


def long_date(date: datetime.date) -> str:
    """e.g. "2 December 2026", "2. Dezember 2026": the reader's language's long date."""
    return calendar.formatted(date, "j F Y")


def permalink(page_url: str, as_of: datetime.date) -> str:
    """The question page as it stood on a date: what a citation points to."""
    return f"{page_url}?as_of={as_of.isoformat()}"


def citation(title: str, as_of: datetime.date, page_url: str, accessed: datetime.date) -> str:
    """A reference to a question (its title) as of a date, e.g. for a footnote.

    `page_url` is the absolute address of the question page, without a query string.
    """
    # Translators: a citation for a footnote; "Stances" is the site's name (keep it as is).
    return _("Stances, “%(title)s”, as of %(as_of)s, %(permalink)s (accessed %(accessed)s).") % {
        "title": title,
        "as_of": long_date(as_of),
        "permalink": permalink(page_url, as_of),
        "accessed": long_date(accessed),
    }


def download_name(question, date: datetime.date, extension: str, kind: str = "") -> str:
    """e.g. putin-re-election-2024-2024-03-18.csv, or ...-timeline-2024-03-18.json."""
    parts = [question.slug, kind, date.isoformat()]
    return "-".join(part for part in parts if part) + "." + extension
