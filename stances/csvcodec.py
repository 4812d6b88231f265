"""CSV as spreadsheets read it: the exports' columns, cells made inert, and back again."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

# The columns of both CSV exports, per question and full timeline; the import reads them back.
COLUMNS = [
    "question",
    "code",
    "eu_code",
    "member_state",
    "position",
    "position_label",
    "vote",
    "effective_on",
    "since",
    "summary",
    "confidence",
    "source_url",
    "source_title",
    "source_publisher",
    "source_published_on",
]

# The export of a question as of a date also says whether each state was a member on it.
STANCE_COLUMNS = [*COLUMNS[:4], "membership", *COLUMNS[4:]]

# A spreadsheet runs a cell starting with one of these as a formula. Tab and carriage return
# are on OWASP's list because some spreadsheets strip them before looking at the next one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an escaped cell starts with: the quote, then a formula character or another quote.
ESCAPED_STARTS = tuple("'" + start for start in (*FORMULA_STARTS, "'"))


def escape_formula(value: str) -> str:
    """Make a cell inert in a spreadsheet by prefixing a single quote, reversibly.

    A value that already looks escaped is prefixed too, so that `unescape_formula` gives
    back exactly what was written.
    """
    if value.startswith(FORMULA_STARTS) or value.startswith(ESCAPED_STARTS):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The inverse of `escape_formula`, for files that come back from an export."""
    return value[1:] if value.startswith(ESCAPED_STARTS) else value


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return escape_formula(str(value))


def to_csv(rows: Iterable[dict], columns: Sequence[str] = COLUMNS) -> str:
    """CSV text with a header; every cell is made safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row[column]) for column in columns])
    return out.getvalue()
