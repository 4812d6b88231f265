"""A question as it stood on a date: each member state's position, the counts, the outcome."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import OuterRef, Subquery
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
    def since(self) -> datetime.date | None:
        return self.change.position_since if self.change else None

    @property
    def latest_source(self) -> Source | None:
        sources = self.change.source_list if self.change else []
        return sources[0] if sources else None


@dataclass
class Snapshot:
    question: Question
    as_of: datetime.date | None  # None: today, the current record
    positions: list[Position]
    rows: list[Row]

    @property
    def changes(self) -> list[StanceChange]:
        return [row.change for row in self.rows if row.change]

    @cached_property
    def counts(self) -> list[Count]:
        return tally(self.positions, [row.position for row in self.rows])

    @cached_property
    def outcome(self) -> voting.CouncilOutcome:
        return voting.council_outcome(
            voting.Ballot(
                code=row.member_state.code,
                name=row.member_state.name,
                population=row.member_state.population,
                vote=row.position.vote if row.position else voting.ABSENT,
            )
            for row in self.rows
        )

    @cached_property
    def population_sources(self) -> list[str]:
        """The population figures behind the arithmetic, e.g. ["Eurostat, ... 2024 (demo_gind)"]."""
        return sorted({row.member_state.population_source for row in self.rows})

    def positions_voting(self, vote: str) -> list[Position]:
        return [p for p in self.positions if p.vote == vote]


def changes_in_force(question: Question, date: datetime.date):
    """The change in force on `date` for each member state with a record: one query."""
    in_force = (
        StanceChange.objects.filter(stance=OuterRef("pk"), effective_on__lte=date)
        .order_by("-effective_on", "-recorded_at", "-id")
        .values("pk")[:1]
    )
    stances = Stance.objects.filter(question=question).annotate(change=Subquery(in_force))
    return StanceChange.objects.filter(pk__in=stances.values("change")).select_related("stance")


def timeline_of(question: Question, member_state: MemberState) -> list[StanceChange]:
    """Every change of one member state on one question, newest first: one query."""
    return list(
        StanceChange.objects.filter(stance__question=question, stance__member_state=member_state)
        .select_related("position", "recorded_by")
        .order_by("-effective_on", "-recorded_at", "-id")
    )


def attach_sources(changes: Iterable[StanceChange]) -> None:
    """Give each change a `source_list`, newest first, fetching all of them in one query."""
    changes = list(changes)
    links = (
        StanceChange.sources.through.objects.filter(stancechange__in=[c.pk for c in changes])
        .select_related("source")
        .order_by("-source__published_on", "source_id")
    )
    by_change = defaultdict(list)
    for link in links:
        by_change[link.stancechange_id].append(link.source)
    for change in changes:
        change.source_list = by_change[change.pk]


def take_snapshot(
    question: Question,
    as_of: datetime.date | None = None,
    member_states: list[MemberState] | None = None,
    *,
    positions: list[Position] | None = None,
    with_sources: bool = True,
) -> Snapshot:
    """At most four queries: scale and member states (unless given), changes, sources.

    Pass with_sources=False to attach the sources yourself, together with other changes.
    """
    date = as_of or timezone.localdate()
    if positions is None:
        positions = list(question.positions.all())
    if member_states is None:
        member_states = list(MemberState.objects.all())
    by_pk = {p.pk: p for p in positions}
    by_member_state = {}
    for change in changes_in_force(question, date):
        change.position = by_pk[change.position_id]
        by_member_state[change.stance.member_state_id] = change
    rows = [Row(ms, by_member_state.get(ms.pk)) for ms in member_states]
    snapshot = Snapshot(question=question, as_of=as_of, positions=positions, rows=rows)
    if with_sources:
        attach_sources(snapshot.changes)
    return snapshot
