"""What readers download: a question's stances as of a date and its whole timeline, as rows.

A row is flat: each record gives its fields under the columns its model names
(Source.COLUMNS and the like), which are those of stances/csvcodec.py.
"""

from collections.abc import Iterable

from stances.models import MemberState, Position, Question, Source, StanceChange
from stances.reading.comparison import Comparison
from stances.reading.snapshots import Snapshot

NOT_COMPUTED, NO_COUNCIL = "not-computed", "no-council"


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
    """One row per member state: its position as of the snapshot's date and its latest source;
    `membership` says "not yet a member" before its accession date (and no position then)."""
    return [
        {
            **change_cells(snapshot.question, row.change),
            **cells(MemberState, row.member_state),
            "membership": row.membership,
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


# The CSV of a comparison: one row per move, with its newest source.
MOVE_COLUMNS = [
    "question",
    "code",
    "eu_code",
    "member_state",
    "from_position",
    "from_label",
    "to_position",
    "to_label",
    *StanceChange.COLUMNS.values(),
    *Source.COLUMNS.values(),
]


def move_rows(comparison: Comparison) -> list[dict]:
    rows = []
    for move in comparison.moves:
        sources = move.change.source_list
        rows.append(
            {
                "question": comparison.question.slug,
                **cells(MemberState, move.member_state),
                "from_position": move.before.key if move.before else None,
                "from_label": move.before.label if move.before else None,
                "to_position": move.after.key,
                "to_label": move.after.label,
                **cells(StanceChange, move.change),
                **cells(Source, sources[0] if sources else None),
            }
        )
    return rows


def comparison_document(comparison: Comparison) -> dict:
    """A comparison as JSON: the moves with all their sources, the counts, the outcomes."""
    return {
        "question": comparison.question.slug,
        "title": comparison.question.title,
        "from": comparison.from_date,
        "to": comparison.to_date,
        "moves": [
            {
                "member_state": move.member_state.to_dict(),
                "from": move.before.to_dict() if move.before else None,
                "to": move.after.to_dict(),
                **move.change.to_dict(),
                "sources": [source.to_dict() for source in move.change.source_list],
            }
            for move in comparison.moves
        ],
        "joined": [
            {**ms.to_dict(), "accession_date": ms.accession_date} for ms in comparison.joined
        ],
        "counts": [
            {"key": line.key, "label": line.label, "from": line.before, "to": line.after}
            for line in comparison.counts
        ],
        "outcome": {
            "from": outcome_summary(comparison.before),
            "to": outcome_summary(comparison.after),
        },
    }


def outcome_summary(snapshot: Snapshot) -> dict:
    """The Council of the snapshot's day in statuses; "not-computed" where the rule of the day
    is one Stances does not compute (weighted votes), "no-council" before 1958."""
    rules, outcome = snapshot.rules, snapshot.outcome
    if not rules.any_council:
        unanimity = qualified = reinforced = NO_COUNCIL
    else:
        unanimity = outcome.unanimity.status
        computed = rules.double_majority
        qualified = outcome.qualified_majority.status if computed else NOT_COMPUTED
        reinforced = outcome.reinforced_majority.status if computed else NOT_COMPUTED
    return {
        "members": snapshot.council_size,
        "untracked": [member.name for member in snapshot.untracked],
        "unanimity": unanimity,
        "qualified_majority": qualified,
        "reinforced_majority": reinforced,
    }
