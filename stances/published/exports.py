"""What readers download: a question's stances as of a date and its whole timeline, as rows."""

from collections.abc import Iterable

from stances.models import Position, Question, Source, StanceChange
from stances.reading.snapshots import Snapshot

SOURCE_FIELDS = ["url", "title", "publisher", "published_on"]


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
    StanceChange.attach_sources(changes)
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
