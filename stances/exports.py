"""What readers download: a question's stances as of a date, its whole timeline, a citation."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from stances.models import Position, Question, Source, StanceChange
from stances.snapshots import Snapshot, attach_sources

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

SOURCE_FIELDS = ["url", "title", "publisher", "published_on"]

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


def to_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """CSV text with a header; every cell is made safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row[column]) for column in columns])
    return out.getvalue()


def change_fields(question: Question, change: StanceChange | None) -> dict:
    position: Position | None = change.position if change else None
    return {
        "question": question.slug,
        "position": position.key if position else None,
        "position_label": position.label if position else None,
        "vote": position.vote if position else None,
        "effective_on": change.effective_on if change else None,
        "since": change.position_since if change else None,
        "summary": change.summary if change else None,
        "confidence": change.confidence if change else None,
    }


def member_state_fields(member_state) -> dict:
    return {
        "code": member_state.code,
        "eu_code": member_state.eu_code,
        "member_state": member_state.name,
    }


def source_fields(source: Source | None) -> dict:
    return {f"source_{name}": getattr(source, name) if source else None for name in SOURCE_FIELDS}


def stance_rows(snapshot: Snapshot) -> list[dict]:
    """One row per member state: its position as of the snapshot's date and its latest source."""
    return [
        {
            **change_fields(snapshot.question, row.change),
            **member_state_fields(row.member_state),
            **source_fields(row.latest_source),
        }
        for row in snapshot.rows
    ]


def question_changes(question: Question, positions: list[Position]) -> list[StanceChange]:
    """Every change on a question, by member state then oldest first, with sources: 2 queries."""
    by_pk = {p.pk: p for p in positions}
    changes = list(
        StanceChange.objects.filter(stance__question=question)
        .select_related("stance__member_state")
        .order_by("stance__member_state__protocol_order", *StanceChange.TIMELINE_ORDER)
    )
    for change in changes:
        change.position = by_pk[change.position_id]
    attach_sources(changes)
    return changes


def timeline_rows(question: Question, changes: Iterable[StanceChange]) -> list[dict]:
    """Each change once per source, flat for CSV."""
    rows = []
    for change in changes:
        fields = {
            **change_fields(question, change),
            **member_state_fields(change.stance.member_state),
        }
        rows.extend({**fields, **source_fields(source)} for source in change.source_list or [None])
    return rows


def timeline_entries(question: Question, changes: Iterable[StanceChange]) -> list[dict]:
    """Each change with all its sources, for JSON."""
    return [
        {
            **change_fields(question, change),
            **member_state_fields(change.stance.member_state),
            "recorded_at": change.recorded_at,
            "sources": [
                {name: getattr(source, name) for name in [*SOURCE_FIELDS, "speaker", "quote"]}
                for source in change.source_list
            ],
        }
        for change in changes
    ]


def download_name(question: Question, date: datetime.date, extension: str, kind: str = "") -> str:
    """e.g. putin-re-election-2024-2024-03-18.csv, or ...-timeline-2024-03-18.json."""
    parts = [question.slug, kind, date.isoformat()]
    return "-".join(part for part in parts if part) + "." + extension


def permalink(page_url: str, as_of: datetime.date) -> str:
    """The question page as it stood on a date: what a citation points to."""
    return f"{page_url}?as_of={as_of.isoformat()}"


def long_date(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def citation(
    question: Question, as_of: datetime.date, page_url: str, accessed: datetime.date
) -> str:
    """A reference to a question as of a date, e.g. for a footnote.

    `page_url` is the absolute address of the question page, without a query string.
    """
    return (
        f"Stances, “{question.title}”, as of {long_date(as_of)}, "
        f"{permalink(page_url, as_of)} (accessed {long_date(accessed)})."
    )
