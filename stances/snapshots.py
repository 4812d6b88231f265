"""A question as it stood on a date: each member state's position, the counts, the outcome."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from stances import voting
from stances.models import MemberState, Position, Question, Source, Stance, StanceChange
from stances.overview import Count, tally


@dataclass
class Row:
    member_state: MemberState
    change: StanceChange | None  # None: nothing recorded on or before the date

    @property
    def position(self) -> Position | None:
        return self.change.position if self.change else None

    @property
    def latest_source(self) -> Source | None:
        sources = self.change.sources.all() if self.change else []
        dated = [s for s in sources if s.published_on]
        if dated:
            return max(dated, key=lambda s: s.published_on)
        return sources[0] if sources else None


@dataclass
class Snapshot:
    question: Question
    as_of: datetime.date | None  # None: today, the current record
    positions: list[Position]
    rows: list[Row]

    @cached_property
    def counts(self) -> list[Count]:
        return tally(self.positions, [row.position for row in self.rows])

    @cached_property
    def outcome(self) -> voting.CouncilOutcome:
        return voting.council_outcome(
            [
                voting.Ballot(
                    code=row.member_state.code,
                    name=row.member_state.name,
                    population=row.member_state.population,
                    vote=row.position.vote if row.position else "absent",
                )
                for row in self.rows
            ]
        )


def latest_changes_on(question: Question, date: datetime.date):
    """The change in force on `date` for each member state with a record: one query."""
    in_force = (
        StanceChange.objects.filter(stance=OuterRef("pk"), effective_on__lte=date)
        .order_by("-effective_on", "-recorded_at", "-id")
        .values("pk")[:1]
    )
    stances = Stance.objects.filter(question=question).annotate(change=Subquery(in_force))
    return StanceChange.objects.filter(pk__in=stances.values("change")).select_related(
        "position", "stance"
    )


def take_snapshot(
    question: Question,
    as_of: datetime.date | None = None,
    member_states: list[MemberState] | None = None,
) -> Snapshot:
    """Four queries: positions, member states (unless given), changes in force, their sources."""
    date = as_of or timezone.localdate()
    positions = list(question.positions.all())
    by_pk = {p.pk: p for p in positions}
    if member_states is None:
        member_states = list(MemberState.objects.all())
    changes = latest_changes_on(question, date).prefetch_related(
        Prefetch("sources", queryset=Source.objects.order_by("-published_on", "pk"))
    )
    by_member_state = {}
    for change in changes:
        change.position = by_pk.get(change.position_id, change.position)
        by_member_state[change.stance.member_state_id] = change
    rows = [Row(ms, by_member_state.get(ms.pk)) for ms in member_states]
    return Snapshot(question=question, as_of=as_of, positions=positions, rows=rows)
