"""Council of the EU voting arithmetic: whether the member states' stances would carry a vote."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

FOR, AGAINST, ABSTAIN, ABSENT = "for", "against", "abstain", "absent"
# A member of that day whose positions are not recorded (the United Kingdom before 2020).
UNTRACKED = "untracked"
VOTES = (FOR, AGAINST, ABSTAIN, ABSENT, UNTRACKED)

REACHED, BLOCKED, OPEN = "reached", "blocked", "open"
# Open only because an untracked member's vote could go either way: every tracked one is known.
UNDECIDED_WITHOUT_UNTRACKED = "undecided-without-untracked"
UNKNOWN = (ABSENT, UNTRACKED)

# Art. 16(4) TEU: 55% of the members (15 of 27) comprising 65% of the population.
QUALIFIED_MEMBERS = Fraction(55, 100)
# Art. 238(2) TFEU: 72% of the members (20 of 27) when the proposal is not the Commission's.
REINFORCED_MEMBERS = Fraction(72, 100)
MAJORITY_POPULATION = Fraction(65, 100)
# Art. 16(4) TEU, second subparagraph: fewer opponents than this cannot block a qualified majority.
BLOCKING_MINORITY_MEMBERS = 4
# Art. 31(1) TEU: abstainers block a CFSP decision from one third of states and of population.
CONSTRUCTIVE_ABSTENTION_SHARE = Fraction(1, 3)


@dataclass(frozen=True)
class Ballot:
    """How one member state would vote; "absent" means it takes no part or has not said.

    "untracked" is a member whose stance Stances does not record: it may vote either way.
    """

    code: str
    name: str
    population: int
    vote: str

    def __post_init__(self) -> None:
        if self.vote not in VOTES:
            raise ValueError(
                f"{self.name}: vote must be one of {', '.join(VOTES)}, not {self.vote!r}"
            )
        if self.population < 0:
            raise ValueError(f"{self.name}: population cannot be negative")


@dataclass(frozen=True)
class Population:
    """The population of the Union: every member state counts, whether it votes or not."""

    total: int

    @classmethod
    def of(cls, ballots: Iterable[Ballot]) -> Population:
        return cls(sum(ballot.population for ballot in ballots))

    def share(self, members: Iterable[Ballot]) -> Fraction:
        if not self.total:
            return Fraction(0)
        return Fraction(sum(member.population for member in members), self.total)


def percent(share: Fraction) -> float:
    """A share as a percentage rounded to one decimal, for display only."""
    return float(round(share * 100, 1))


@dataclass(frozen=True)
class Unanimity:
    status: str
    blockers: tuple[str, ...]
    abstainers: tuple[str, ...]
    undeclared: tuple[str, ...]


@dataclass(frozen=True)
class Majority:
    """A qualified majority; `opposed` are those against or abstaining, which count alike."""

    status: str
    members_for: int
    members_needed: int
    members_total: int
    population_for: Fraction
    population_needed: Fraction
    opposed: tuple[str, ...]
    population_opposed: Fraction

    @property
    def members_opposed(self) -> int:
        return len(self.opposed)

    @property
    def deemed_attained(self) -> bool:
        """Reached only because too few members oppose to form a blocking minority."""
        return self.status == REACHED and self.population_for < self.population_needed

    @property
    def population_for_percent(self) -> float:
        return percent(self.population_for)

    @property
    def population_needed_percent(self) -> float:
        return percent(self.population_needed)

    @property
    def population_opposed_percent(self) -> float:
        return percent(self.population_opposed)


@dataclass(frozen=True)
class ConstructiveAbstention:
    """A CFSP decision by unanimity where abstainers may stand aside without blocking."""

    status: str
    blocks: bool
    abstainers: tuple[str, ...]
    members_needed: int
    population_abstaining: Fraction
    population_needed: Fraction

    @property
    def members_abstaining(self) -> int:
        return len(self.abstainers)

    @property
    def population_abstaining_percent(self) -> float:
        return percent(self.population_abstaining)

    @property
    def population_needed_percent(self) -> float:
        return percent(self.population_needed)


@dataclass(frozen=True)
class CouncilOutcome:
    population: Population
    unanimity: Unanimity
    qualified_majority: Majority
    reinforced_majority: Majority
    constructive_abstention: ConstructiveAbstention


def council_outcome(ballots: Iterable[Ballot]) -> CouncilOutcome:
    """How a Council vote would go if every member state voted as its ballot says.

    Each status is "reached" if the vote passes even should every undeclared ("absent") or
    untracked member vote against, "blocked" if it fails even should every one of them vote for,
    and "open" otherwise ("undecided-without-untracked" when only untracked members are
    unknown). So under qualified majority "blocked" means the members against or abstaining
    form a blocking minority by themselves (at least four with more than 35% of the population,
    or so many that too few members are left to vote for); undeclared members never count towards
    it. Populations are shares of all the ballots' populations, voting or not.
    """
    ballots = tuple(ballots)
    population = Population.of(ballots)
    return CouncilOutcome(
        population=population,
        unanimity=_unanimity(ballots),
        qualified_majority=_majority(ballots, QUALIFIED_MEMBERS, four_member_rule=True),
        # Art. 238(2) TFEU sets only the two thresholds: no "deemed attained" clause here.
        reinforced_majority=_majority(ballots, REINFORCED_MEMBERS, four_member_rule=False),
        constructive_abstention=_constructive_abstention(ballots),
    )


def _status(ballots: Sequence[Ballot], passes: Callable[[Sequence[Ballot]], bool]) -> str:
    # A stance not yet taken may still go either way, so try both before calling the outcome.
    if passes(_assuming(ballots, AGAINST)):
        return REACHED
    if not passes(_assuming(ballots, FOR)):
        return BLOCKED
    if not any(b.vote == ABSENT for b in ballots):
        return UNDECIDED_WITHOUT_UNTRACKED
    return OPEN


def _assuming(ballots: Sequence[Ballot], vote: str) -> tuple[Ballot, ...]:
    return tuple(replace(b, vote=vote) if b.vote in UNKNOWN else b for b in ballots)


def _names(ballots: Iterable[Ballot], *votes: str) -> tuple[str, ...]:
    return tuple(b.name for b in ballots if b.vote in votes)


def _at_least(share: Fraction, members: int) -> int:
    # Exact ceiling on fractions: 55% of 27 is 14.85, so 15 members.
    return math.ceil(share * members)


def _unanimity(ballots: Sequence[Ballot]) -> Unanimity:
    return Unanimity(
        status=_status(ballots, _unanimous),
        blockers=_names(ballots, AGAINST),
        abstainers=_names(ballots, ABSTAIN),
        undeclared=_names(ballots, ABSENT),
    )


def _unanimous(ballots: Sequence[Ballot]) -> bool:
    # Art. 238(4) TFEU: abstentions do not prevent unanimity, but someone has to vote for.
    votes = {b.vote for b in ballots}
    return AGAINST not in votes and FOR in votes


def _majority(ballots: Sequence[Ballot], members: Fraction, four_member_rule: bool) -> Majority:
    population = Population.of(ballots)

    def passes(ballots: Sequence[Ballot]) -> bool:
        in_favour = [b for b in ballots if b.vote == FOR]
        enough_members = len(in_favour) >= _at_least(members, len(ballots))
        if population.share(in_favour) >= MAJORITY_POPULATION:
            return enough_members
        # Art. 16(4) TEU: a blocking minority needs four members, "failing which the qualified
        # majority shall be deemed attained". Everyone not voting for is in that minority.
        too_few_to_block = len(ballots) - len(in_favour) < BLOCKING_MINORITY_MEMBERS
        return four_member_rule and enough_members and too_few_to_block

    opposed = [b for b in ballots if b.vote in (AGAINST, ABSTAIN)]
    return Majority(
        status=_status(ballots, passes),
        members_for=sum(b.vote == FOR for b in ballots),
        members_needed=_at_least(members, len(ballots)),
        members_total=len(ballots),
        population_for=population.share(b for b in ballots if b.vote == FOR),
        population_needed=MAJORITY_POPULATION,
        opposed=tuple(b.name for b in opposed),
        population_opposed=population.share(opposed),
    )


def _constructive_abstention(ballots: Sequence[Ballot]) -> ConstructiveAbstention:
    population = Population.of(ballots)

    def blocks(ballots: Sequence[Ballot]) -> bool:
        abstainers = [b for b in ballots if b.vote == ABSTAIN]
        return (
            len(abstainers) >= _at_least(CONSTRUCTIVE_ABSTENTION_SHARE, len(ballots))
            and population.share(abstainers) >= CONSTRUCTIVE_ABSTENTION_SHARE
        )

    def passes(ballots: Sequence[Ballot]) -> bool:
        return _unanimous(ballots) and not blocks(ballots)

    return ConstructiveAbstention(
        status=_status(ballots, passes),
        blocks=blocks(ballots),
        abstainers=_names(ballots, ABSTAIN),
        members_needed=_at_least(CONSTRUCTIVE_ABSTENTION_SHARE, len(ballots)),
        population_abstaining=population.share(b for b in ballots if b.vote == ABSTAIN),
        population_needed=CONSTRUCTIVE_ABSTENTION_SHARE,
    )
