"""A question as it stood on a date: each member state's position, the counts, the outcome."""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import get_language

from stances import union, voting
from stances.models import MemberState, Position, Question, Source, StanceChange
from stances.reading.country_timelines import (
    CountryTimeline,
    entries_of,
    filled,
    listed_keys,
)
from stances.reading.in_force import in_force_and_listed, in_force_with_sources
from stances.reading.overview import Count, tally

MEMBER, NOT_YET_MEMBER = "member", "not yet a member"


@dataclass
class Row:
    member_state: MemberState
    change: StanceChange | None  # None: nothing recorded on or before the date, or not a member
    is_member: bool = True  # False before the member state's accession date

    @property
    def not_yet_member(self) -> bool:
        return not self.is_member

    @property
    def membership(self) -> str:
        """How the downloads and the API say it: "member" or "not yet a member"."""
        return MEMBER if self.is_member else NOT_YET_MEMBER

    @property
    def position(self) -> Position | None:
        return self.change.position if self.change else None

    @property
    def since(self) -> datetime.date | None:
        return self.change.position_since if self.change else None

    @property
    def checked_on(self) -> datetime.date | None:
        """When an editor last confirmed the current position (a record of today only)."""
        return self.change.stance.checked_on if self.change else None

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
    panel_timeline: CountryTimeline | None = None  # a member state's, for its side panel
    # The change in force on the date for each member state (by pk), members or not yet.
    in_force: dict[int, StanceChange] = field(default_factory=dict)

    @property
    def day(self) -> datetime.date:
        return self.as_of or timezone.localdate()

    @property
    def changes(self) -> list[StanceChange]:
        return [row.change for row in self.rows if row.change]

    @cached_property
    def members(self) -> list[Row]:
        """The rows of the states that were members on the date."""
        return [row for row in self.rows if row.is_member]

    @cached_property
    def not_yet_members(self) -> list[Row]:
        return [row for row in self.rows if not row.is_member]

    @cached_property
    def untracked(self) -> tuple[union.FormerMember, ...]:
        """Members of that day whose positions Stances does not record (the United Kingdom)."""
        return union.untracked_members_on(self.day)

    @cached_property
    def rules(self) -> union.VotingRules:
        return union.rules_on(self.day)

    @property
    def council_size(self) -> int:
        return len(self.members) + len(self.untracked)

    @cached_property
    def counts(self) -> list[Count]:
        held = [row.position for row in self.members]
        return tally(self.positions, held, not_members=len(self.not_yet_members))

    @cached_property
    def outcome(self) -> voting.CouncilOutcome:
        """The Council of that day: its members' ballots, untracked ones free to go either way."""
        language = get_language()
        ballots = [
            voting.Ballot(
                code=row.member_state.code,
                name=row.member_state.name_in(language),
                population=row.member_state.population,
                vote=row.position.vote if row.position else voting.ABSENT,
            )
            for row in self.members
        ]
        ballots += [
            voting.Ballot(m.code, m.local_name, m.population, voting.UNTRACKED)
            for m in self.untracked
        ]
        return voting.council_outcome(ballots)

    @cached_property
    def labels_by_vote(self) -> dict[str, str]:
        """The scale's labels by how they count, "Recognises; Recognises with reservations"."""
        return {
            vote: "; ".join(p.label for p in self.positions if p.vote == vote)
            for vote in (voting.FOR, voting.AGAINST, voting.ABSTAIN, voting.ABSENT)
        }

    @cached_property
    def population_sources(self) -> list[str]:
        """The population figures behind the arithmetic, e.g. ["Eurostat, ... 2024 (demo_gind)"]."""
        sources = {row.member_state.population_source for row in self.members}
        sources.update(f"{m.population_source} ({m.local_name})" for m in self.untracked)
        return sorted(sources)


def take_snapshot(
    question: Question,
    as_of: datetime.date | None = None,
    member_states: list[MemberState] | None = None,
    *,
    positions: list[Position] | None = None,
    with_timeline_of: MemberState | None = None,
    whole_timeline: bool = False,
) -> Snapshot:
    """At most three queries: scale and member states (unless given), the changes in force
    with their stances and sources (stances/reading/in_force.py).

    With `with_timeline_of`, the snapshot's `panel_timeline` is that member state's timeline as
    its panel shows it (every entry if `whole_timeline`), its listed entries with their sources:
    the entries, then the changes in force with the listed ones and all their sources.
    """
    date = as_of or timezone.localdate()
    if positions is None:
        positions = list(question.positions.all())
    if member_states is None:
        member_states = list(MemberState.objects.all())
    by_pk = {p.pk: p for p in positions}
    entries = listed = None
    if with_timeline_of is not None:
        entries = entries_of(question, with_timeline_of)
        listed = set(listed_keys(entries, as_of, whole_timeline))
    changes = (
        in_force_with_sources(question, date)
        if listed is None
        else in_force_and_listed(question, date, listed)
    )
    in_force, full = _sorted_out(changes, by_pk, listed, date)
    rows = [
        Row(ms, in_force.get(ms.pk), is_member=True)
        if ms.is_member_on(date)
        else Row(ms, None, is_member=False)
        for ms in member_states
    ]
    panel_timeline = None
    if with_timeline_of is not None:
        panel_timeline = filled(entries, full, as_of, whole_timeline)
    snapshot = Snapshot(
        question, as_of, positions, rows, panel_timeline=panel_timeline, in_force=in_force
    )
    StanceChange.attach_sources(
        [*snapshot.changes, *(panel_timeline.shown if panel_timeline else [])]
    )
    return snapshot


def _sorted_out(changes, positions_by_pk, listed, date) -> tuple[dict, dict]:
    """The change in force for each member state (by its pk), and the panel's listed changes
    (by theirs) among `changes`, each given its position."""
    in_force, full = {}, {}
    for change in changes:
        change.position = positions_by_pk[change.position_id]
        if listed is not None and change.pk in listed:
            full[change.pk] = change  # also in force, perhaps: the same row, one object
        if change.effective_on <= date and (
            (current := in_force.get(change.stance.member_state_id)) is None
            or _newer(change, current)
        ):
            in_force[change.stance.member_state_id] = change
    return in_force, full


def _newer(change: StanceChange, than: StanceChange) -> bool:
    """Whether `change` comes after `than` in timeline order (stances/models.py, TIMELINE_ORDER)."""
    return (change.effective_on, change.recorded_at, change.pk) > (
        than.effective_on,
        than.recorded_at,
        than.pk,
    )
