import csv
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stances.voting import (
    ABSENT,
    ABSTAIN,
    AGAINST,
    BLOCKED,
    FOR,
    OPEN,
    REACHED,
    UNDECIDED_WITHOUT_UNTRACKED,
    UNTRACKED,
    Ballot,
    council_outcome,
)

EU27_CSV = Path(__file__).resolve().parents[1] / "stances" / "data" / "eu27.csv"

with EU27_CSV.open(newline="", encoding="utf-8") as rows:
    MEMBER_STATES = [(r["iso2"], r["name"], int(r["population"])) for r in csv.DictReader(rows)]

BY_POPULATION = [code for code, _, population in sorted(MEMBER_STATES, key=lambda m: m[2])]
SMALLEST, BIGGEST = BY_POPULATION[:15], BY_POPULATION[15:]


def eu27(against=(), abstain=(), absent=()):
    """The real 27 member states, voting for unless their ISO code is named otherwise."""
    votes = {**dict.fromkeys(against, AGAINST), **dict.fromkeys(abstain, ABSTAIN)}
    votes |= dict.fromkeys(absent, ABSENT)
    return [Ballot(code, name, pop, votes.get(code, FOR)) for code, name, pop in MEMBER_STATES]


def made_up(*groups):
    """Made-up member states: each (vote, members, population) group splits its population."""
    ballots = []
    for vote, members, population in groups:
        for i in range(members):
            share = population // members + (i < population % members)
            number = len(ballots) + 1
            ballots.append(Ballot(f"X{number}", f"State {number}", share, vote))
    return ballots


def test_all_27_for_reaches_every_majority():
    outcome = council_outcome(eu27())

    assert outcome.population.total == 449_206_200
    assert outcome.unanimity.status == REACHED
    assert outcome.qualified_majority.status == REACHED
    assert outcome.qualified_majority.members_for == 27
    assert outcome.qualified_majority.population_for == 1
    assert outcome.reinforced_majority.status == REACHED
    assert outcome.constructive_abstention.status == REACHED


def test_hungary_against_blocks_unanimity_but_not_a_qualified_majority():
    outcome = council_outcome(eu27(against=["HU"]))

    assert outcome.unanimity.status == BLOCKED
    assert outcome.unanimity.blockers == ("Hungary",)
    assert outcome.qualified_majority.status == REACHED
    assert outcome.qualified_majority.opposed == ("Hungary",)
    assert outcome.qualified_majority.population_opposed_percent == 2.1


def test_germany_france_and_italy_alone_cannot_block_a_qualified_majority():
    # 210,836,700 of 449,206,200 people (46.9%) are against, so only 53.1% are for: short of
    # 65%, but a blocking minority needs a fourth member and the majority is deemed attained.
    qualified = council_outcome(eu27(against=["DE", "FR", "IT"])).qualified_majority

    assert qualified.population_opposed == Fraction(210_836_700, 449_206_200)
    assert qualified.population_for_percent == 53.1
    assert qualified.members_opposed == 3
    assert qualified.status == REACHED
    assert qualified.deemed_attained


def test_the_four_member_rule_does_not_save_a_reinforced_majority():
    reinforced = council_outcome(eu27(against=["DE", "FR", "IT"])).reinforced_majority

    assert reinforced.members_for == 24
    assert reinforced.status == BLOCKED


def test_poland_joining_germany_france_and_italy_forms_a_blocking_minority():
    qualified = council_outcome(eu27(against=["DE", "FR", "IT", "PL"])).qualified_majority

    assert qualified.population_opposed_percent == 55.1
    assert qualified.opposed == ("Germany", "France", "Italy", "Poland")
    assert qualified.status == BLOCKED
    assert not qualified.deemed_attained


def test_the_15_smallest_states_are_enough_members_but_too_few_people():
    qualified = council_outcome(eu27(against=BIGGEST)).qualified_majority

    assert qualified.members_for == qualified.members_needed == 15
    assert qualified.population_for_percent == 13.8
    assert qualified.status == BLOCKED


def test_abstentions_count_against_a_qualified_majority_but_do_not_prevent_unanimity():
    outcome = council_outcome(eu27(abstain=["DE", "FR", "IT", "PL"]))

    assert outcome.qualified_majority.status == BLOCKED
    assert outcome.qualified_majority.members_opposed == 4
    assert outcome.unanimity.status == REACHED
    assert outcome.unanimity.abstainers == ("Germany", "France", "Italy", "Poland")


def test_undeclared_members_do_not_count_towards_a_blocking_minority():
    qualified = council_outcome(eu27(against=["DE", "FR", "IT"], absent=["PL"])).qualified_majority

    assert qualified.members_opposed == 3
    assert qualified.status == OPEN


def test_undeclared_members_can_neither_pass_nor_block_a_vote():
    outcome = council_outcome(eu27(absent=BIGGEST))

    assert outcome.unanimity.status == OPEN
    assert len(outcome.unanimity.undeclared) == 12
    assert outcome.qualified_majority.members_for == 15
    assert outcome.qualified_majority.population_opposed == 0
    assert outcome.qualified_majority.status == OPEN
    assert outcome.reinforced_majority.status == OPEN


def test_hungary_undeclared_leaves_unanimity_open():
    unanimity = council_outcome(eu27(absent=["HU"])).unanimity

    assert unanimity.status == OPEN
    assert unanimity.blockers == ()
    assert unanimity.undeclared == ("Hungary",)


def test_unanimity_needs_someone_to_vote_for():
    unanimity = council_outcome(eu27(abstain=BY_POPULATION)).unanimity

    assert unanimity.status == BLOCKED
    assert unanimity.blockers == ()


def test_exactly_65_percent_of_the_population_is_enough():
    # 63 of 180 is exactly 35%, yet 0.35 * 180 == 62.99999999999999 in floating point.
    outcome = council_outcome(made_up((FOR, 23, 117), (AGAINST, 4, 63)))

    assert outcome.qualified_majority.population_for == Fraction(65, 100)
    assert outcome.qualified_majority.status == REACHED
    assert not outcome.qualified_majority.deemed_attained
    assert outcome.reinforced_majority.status == REACHED


def test_more_than_35_percent_against_is_a_blocking_minority():
    outcome = council_outcome(made_up((FOR, 23, 116), (AGAINST, 4, 64)))

    assert outcome.qualified_majority.status == BLOCKED
    assert outcome.reinforced_majority.status == BLOCKED


@pytest.mark.parametrize(("members_for", "status"), [(15, REACHED), (14, BLOCKED)])
def test_a_qualified_majority_needs_15_of_27_members(members_for, status):
    ballots = made_up((FOR, members_for, 900), (AGAINST, 27 - members_for, 100))
    qualified = council_outcome(ballots).qualified_majority

    assert qualified.members_needed == 15
    assert qualified.status == status


def test_a_reinforced_majority_needs_20_of_27_members():
    twenty = council_outcome(eu27(against=BY_POPULATION[:7]))
    nineteen = council_outcome(eu27(against=BY_POPULATION[:8]))
    one_undeclared = council_outcome(eu27(against=BY_POPULATION[:7], absent=BY_POPULATION[7:8]))

    assert twenty.reinforced_majority.members_needed == 20
    assert twenty.reinforced_majority.status == REACHED
    assert nineteen.reinforced_majority.status == BLOCKED
    assert nineteen.qualified_majority.status == REACHED
    assert one_undeclared.reinforced_majority.status == OPEN


def test_nine_small_states_abstaining_do_not_block_a_cfsp_decision():
    abstention = council_outcome(eu27(abstain=BY_POPULATION[:9])).constructive_abstention

    assert abstention.members_abstaining == abstention.members_needed == 9
    assert abstention.population_abstaining_percent == 4.4
    assert not abstention.blocks
    assert abstention.status == REACHED


def test_nine_states_including_germany_and_france_abstaining_block_a_cfsp_decision():
    outcome = council_outcome(eu27(abstain=["DE", "FR", *BY_POPULATION[:7]]))

    assert outcome.constructive_abstention.population_abstaining_percent == 36.1
    assert outcome.constructive_abstention.blocks
    assert outcome.constructive_abstention.status == BLOCKED
    assert outcome.unanimity.status == REACHED


@pytest.mark.parametrize(
    ("abstaining", "blocks"),
    [((9, 60), True), ((9, 59), False), ((8, 120), False)],
)
def test_abstainers_block_from_a_third_of_the_states_and_of_the_population(abstaining, blocks):
    members, population = abstaining
    ballots = made_up((ABSTAIN, members, population), (FOR, 27 - members, 180 - population))
    abstention = council_outcome(ballots).constructive_abstention

    assert abstention.blocks is blocks
    assert abstention.status == (BLOCKED if blocks else REACHED)


def test_a_cfsp_decision_is_not_adopted_over_a_vote_against():
    abstention = council_outcome(eu27(against=["HU"])).constructive_abstention

    assert not abstention.blocks
    assert abstention.status == BLOCKED


def test_a_ballot_with_an_unknown_vote_is_rejected():
    with pytest.raises(ValueError, match="vote must be one of"):
        Ballot("HU", "Hungary", 9_584_600, "veto")


RANK = {BLOCKED: 0, OPEN: 1, REACHED: 2}


@given(
    votes=st.lists(st.sampled_from([FOR, AGAINST, ABSTAIN, ABSENT]), min_size=27, max_size=27),
    populations=st.lists(st.integers(0, 10**8), min_size=27, max_size=27),
    member=st.integers(0, 26),
)
def test_a_member_moving_from_against_to_for_never_sets_an_outcome_back(votes, populations, member):
    def outcome(vote):
        ballots = [
            Ballot(f"X{i}", f"State {i}", population, vote if i == member else votes[i])
            for i, population in enumerate(populations)
        ]
        found = council_outcome(ballots)
        return [
            RANK[found.unanimity.status],
            RANK[found.qualified_majority.status],
            RANK[found.reinforced_majority.status],
            RANK[found.constructive_abstention.status],
        ]

    before, after = outcome(AGAINST), outcome(FOR)

    assert all(a >= b for a, b in zip(after, before, strict=True))


@given(
    votes=st.lists(st.sampled_from([FOR, AGAINST, ABSTAIN, ABSENT]), min_size=27, max_size=27),
    declared=st.lists(st.sampled_from([FOR, AGAINST, ABSTAIN]), min_size=27, max_size=27),
    populations=st.lists(st.integers(0, 10**8), min_size=27, max_size=27),
)
def test_undeclared_members_declaring_never_overturn_a_reached_or_blocked_outcome(
    votes, declared, populations
):
    def outcome(votes):
        found = council_outcome(
            Ballot(f"X{i}", f"State {i}", population, vote)
            for i, (population, vote) in enumerate(zip(populations, votes, strict=True))
        )
        return [
            found.unanimity.status,
            found.qualified_majority.status,
            found.reinforced_majority.status,
            found.constructive_abstention.status,
        ]

    before = outcome(votes)
    after = outcome(
        [new if old == ABSENT else old for old, new in zip(votes, declared, strict=True)]
    )

    for was, now in zip(before, after, strict=True):
        assert now == was or was == OPEN


def with_the_united_kingdom(ballots):
    """The 27 and an untracked 28th member of 66.6 million, free to vote either way."""
    return [*ballots, Ballot("GB", "United Kingdom", 66_600_000, UNTRACKED)]


def test_an_untracked_member_leaves_unanimity_undecided_when_every_other_is_for():
    outcome = council_outcome(with_the_united_kingdom(eu27()))
    assert outcome.unanimity.status == UNDECIDED_WITHOUT_UNTRACKED
    assert outcome.unanimity.undeclared == ()  # the untracked member is not "undeclared"


def test_an_outcome_that_holds_whatever_the_untracked_member_votes_is_stated():
    assert council_outcome(with_the_united_kingdom(eu27(against=["HU"]))).unanimity.status == (
        BLOCKED
    )
    qualified = council_outcome(with_the_united_kingdom(eu27())).qualified_majority
    assert qualified.status == REACHED
    assert qualified.members_total == 28


def test_the_untracked_member_can_swing_a_qualified_majority():
    # For: 60% of the population without the 28th member; with its 13% more, over 65%.
    ballots = made_up((FOR, 16, 52_000_000), (AGAINST, 11, 35_000_000))
    ballots.append(Ballot("GB", "United Kingdom", 13_000_000, UNTRACKED))
    assert council_outcome(ballots).qualified_majority.status == UNDECIDED_WITHOUT_UNTRACKED


def test_with_undeclared_members_as_well_the_status_is_simply_open():
    outcome = council_outcome(with_the_united_kingdom(eu27(absent=["HU"])))
    assert outcome.unanimity.status == OPEN
