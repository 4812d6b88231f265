"""What readers download: a question's stances as of a date and its whole timeline, as rows.

A row is flat: each record gives its fields under the columns its model names
(Source.COLUMNS and the like), which are those of stances/csvcodec.py.
"""

from collections.abc import Iterable

from stances.models import MemberState, Position, Question, Source, StanceChange
from stances.reading.snapshots import Snapshot


def cells(model, record) -> dict:
    """A record's fields under its model's columns; empty cells when there is no record."""
    if record is None:
        return dict.fromkeys(model.COLUMNS.values())
    fields = record.to_dict()
    return {column: fields[name] for name, column in model.COLUMNS.items()}


def change_cells(question: Question, change: StanceChange | None) -> dict:
    return {
        "question": question.slug,
        **cells(Position, change.position if change else None),
        **cells(StanceChange, change),
    }


def stance_rows(snapshot: Snapshot) -> list[dict]:
    """One row per member state: its position as of the snapshot's date and its latest source."""
    return [
        {
            **change_cells(snapshot.question, row.change),
            **cells(MemberState, row.member_state),
            **cells(Source, row.latest_source),
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
    StanceChange.attach_sources(changes)
    return changes


def timeline_rows(question: Question, changes: Iterable[StanceChange]) -> list[dict]:
    """Each change once per source, flat for CSV."""
    rows = []
    for change in changes:
        fields = {
            **change_cells(question, change),
            **cells(MemberState, change.stance.member_state),
        }
        rows.extend({**fields, **cells(Source, source)} for source in change.source_list or [None])
    return rows


def timeline_entries(question: Question, changes: Iterable[StanceChange]) -> list[dict]:
    """Each change with all its sources, for JSON."""
    return [
        {
            **change_cells(question, change),
            **cells(MemberState, change.stance.member_state),
            "recorded_at": change.recorded_at,
            "sources": [source.to_dict() for source in change.source_list],
        }
        for change in changes
    ]
