"""Two dates side by side: what each member state held on each, and the moves in between.

A move is a day on which a member state's position in force became another one, between the
first date (excluded) and the second (included). Several changes on one day count as that day's
last; a change that keeps the position (a new source, say) is no move.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from typing import NamedTuple

from stances.dates import parse_period
from stances.models import MemberState, Position, Question, StanceChange
from stances.reading.member_states import member_states
from stances.reading.snapshots import Snapshot, take_snapshot


@dataclass
class Move:
    member_state: MemberState
    before: Position | None  # None: nothing recorded before
    after: Position
    on: datetime.date
    change_pk: int
    # The change that moved it, with its summary and sources, once fetched (with_sources).
    change: StanceChange | None = None


class Step(NamedTuple):
    """What the walk needs of a change; a StanceChange has the same attributes."""

    pk: int
    member_state_id: int
    position_id: int
    effective_on: datetime.date


def moves_of(
    member_state: MemberState,
    start: Position | None,
    changes: Iterable,
    by_pk: dict[int, Position],
) -> list[Move]:
    """The moves within one member state's `changes` (Steps or StanceChanges, in timeline
    order), starting from the position it held before them. Changes from before it joined the
    Union move nothing the reader sees: they set where it starts."""
    moves, held = [], start
    for day, same_day in groupby(changes, key=lambda change: change.effective_on):
        last = list(same_day)[-1]
        if last.position_id != (held.pk if held else None) and member_state.is_member_on(day):
            change = last if isinstance(last, StanceChange) else None
            after = by_pk[last.position_id]
            moves.append(Move(member_state, held, after, day, last.pk, change))
        held = by_pk[last.position_id]
    return moves


@dataclass
class Comparison:
    question: Question
    before: Snapshot
    after: Snapshot
    moves: list[Move]
    first_record: datetime.date | None = None  # the question's first recorded day
    shown: int | None = None  # how many moves a page lists (all when None), from the first

    def with_sources(self, shown: int | None = None) -> "Comparison":
        """Fetch the moving changes with their sources (two queries); with `shown`, only the
        first so many, which are all a page lists: a long history makes thousands of moves."""
        self.shown = shown
        listed = self.moves[:shown]
        changes = StanceChange.objects.in_bulk([move.change_pk for move in listed])
        for move in listed:
            move.change = changes[move.change_pk]
            move.change.position = move.after
        StanceChange.attach_sources(move.change for move in listed)
        return self

    @property
    def listed(self) -> list[Move]:
        return self.moves[: self.shown]

    @property
    def not_listed(self) -> int:
        return len(self.moves) - len(self.listed)

    @property
    def from_date(self) -> datetime.date:
        return self.before.day

    @property
    def to_date(self) -> datetime.date:
        return self.after.day

    @cached_property
    def moved(self) -> dict[str, int]:
        """Each member state that moved, by code, with the number of its first move (from 1)."""
        numbers = {}
        for number, move in enumerate(self.moves, start=1):
            numbers.setdefault(move.member_state.code, number)
        return numbers

    @cached_property
    def joined(self) -> list[MemberState]:
        """Member states that joined the Union between the two dates."""
        return [
            row.member_state
            for was, row in zip(self.before.rows, self.after.rows, strict=True)
            if row.is_member and not was.is_member
        ]

    @property
    def snapshots(self) -> tuple[Snapshot, Snapshot]:
        return (self.before, self.after)

    @cached_property
    def counts(self) -> list["CountLine"]:
        """Each line of either date's legend, with its count on both dates."""
        before = {count.key: count for count in self.before.counts}
        after = {count.key: count for count in self.after.counts}
        keys = [*after, *(key for key in before if key not in after)]
        return [
            CountLine(
                key=key,
                label=(after.get(key) or before[key]).label,
                before=before[key].count if key in before else 0,
                after=after[key].count if key in after else 0,
            )
            for key in keys
        ]


@dataclass(frozen=True)
class CountLine:
    key: str
    label: str
    before: int
    after: int

    @property
    def difference(self) -> str:
        """ "+2", "−1" (a minus sign), or "" when the count did not change."""
        change = self.after - self.before
        if not change:
            return ""
        return f"+{change}" if change > 0 else f"−{-change}"


def comparison_asked(request, question, positions, dates) -> Comparison:
    """The comparison the address asks for with `?from=` and `?to=`, or BadDate saying why not.

    `dates` are the question's change dates (reading.history). Its moves have no sources
    yet: see Comparison.with_sources.
    """
    first_record = dates[0] if dates else None
    from_date, to_date = parse_period(request.GET.get("from"), request.GET.get("to"), first_record)
    comparison = compare(question, positions, member_states(request), from_date, to_date)
    comparison.first_record = first_record
    return comparison


def compare(
    question: Question,
    positions: Sequence[Position],
    member_states: Sequence[MemberState],
    from_date: datetime.date,
    to_date: datetime.date,
) -> Comparison:
    """Both dates and the moves between them: a fixed number of queries, whatever the history."""
    positions, member_states = list(positions), list(member_states)
    before = take_snapshot(question, from_date, member_states, positions=positions)
    after = take_snapshot(question, to_date, member_states, positions=positions)
    by_pk = {position.pk: position for position in positions}
    # Only what the walk needs: a long history may put thousands of changes in the window.
    window = (
        StanceChange.objects.filter(
            stance__question=question, effective_on__gt=from_date, effective_on__lte=to_date
        )
        .order_by("stance__member_state_id", *StanceChange.TIMELINE_ORDER)
        .values_list("pk", "stance__member_state_id", "position_id", "effective_on")
    )
    # Where each state started: what it held on the first date, membership aside.
    started = {pk: by_pk[change.position_id] for pk, change in before.in_force.items()}
    moves = []
    by_member_state = {ms.pk: ms for ms in member_states}
    steps = (Step(*row) for row in window.iterator(chunk_size=2000))
    for pk, changes in groupby(steps, key=lambda step: step.member_state_id):
        moves += moves_of(by_member_state[pk], started.get(pk), changes, by_pk)
    moves.sort(key=lambda move: (move.on, move.member_state.protocol_order))
    return Comparison(question, before, after, moves)


@dataclass
class QuestionMoves:
    """One member state on one question: what it held on both dates and how it moved."""

    question: Question
    before: Position | None
    after: Position | None
    moves: list[Move]
    member_before: bool
    member_after: bool

    @property
    def not_member_before(self) -> bool:
        return not self.member_before

    @property
    def not_member_after(self) -> bool:
        return not self.member_after


def compare_member_state(
    member_state: MemberState,
    scales: dict[Question, list[Position]],
    from_date: datetime.date,
    to_date: datetime.date,
) -> list[QuestionMoves]:
    """The same comparison for one member state across questions: two queries in all."""
    by_pk = {p.pk: p for positions in scales.values() for p in positions}
    changes = list(
        StanceChange.objects.filter(
            stance__member_state=member_state,
            stance__question__in=list(scales),
            effective_on__lte=to_date,
        )
        .select_related("stance")
        .order_by("stance__question_id", *StanceChange.TIMELINE_ORDER)
    )
    for change in changes:
        change.position = by_pk[change.position_id]
        change.stance.member_state = member_state
    by_question = {q.pk: [] for q in scales}
    for change in changes:
        by_question[change.stance.question_id].append(change)
    lines = []
    for question in scales:
        timeline = by_question[question.pk]
        earlier = [c for c in timeline if c.effective_on <= from_date]
        window = [c for c in timeline if c.effective_on > from_date]
        start = earlier[-1].position if earlier else None
        moves = moves_of(member_state, start, window, by_pk)
        lines.append(
            QuestionMoves(
                question=question,
                before=start,
                after=timeline[-1].position if timeline else None,
                moves=moves,
                member_before=member_state.is_member_on(from_date),
                member_after=member_state.is_member_on(to_date),
            )
        )
    StanceChange.attach_sources(move.change for line in lines for move in line.moves)
    return lines
