"""The Union on a date: the United Kingdom's years and the Council's rules by date."""

import datetime

import pytest

from stances.union import UNITED_KINGDOM, rules_on, untracked_members_on

day = datetime.date.fromisoformat


@pytest.mark.parametrize(
    "on, member",
    [
        ("1972-12-31", False),
        ("1973-01-01", True),
        ("2016-06-23", True),
        ("2020-01-31", True),
        ("2020-02-01", False),
    ],
)
def test_the_united_kingdom_was_a_member_from_1973_to_the_end_of_january_2020(on, member):
    assert (untracked_members_on(day(on)) == (UNITED_KINGDOM,)) is member


def test_its_population_is_sourced_with_its_year():
    assert UNITED_KINGDOM.population == 66_600_000
    assert "1 January 2019" in UNITED_KINGDOM.population_source
    assert "Eurostat" in UNITED_KINGDOM.population_source


@pytest.mark.parametrize(
    "on, double_majority, transitional",
    [
        ("2014-10-31", False, False),
        ("2014-11-01", True, True),
        ("2017-03-31", True, True),
        ("2017-04-01", True, False),
    ],
)
def test_the_double_majority_from_november_2014_with_the_old_rule_on_request_until_march_2017(
    on, double_majority, transitional
):
    rules = rules_on(day(on))
    assert rules.double_majority is double_majority
    assert rules.transitional is transitional


def test_constructive_abstention_by_states_and_population_from_lisbon_by_weighted_votes_before():
    assert rules_on(day("2009-12-01")).constructive_abstention
    assert rules_on(day("2009-11-30")).weighted_abstention
    assert not rules_on(day("1999-04-30")).weighted_abstention
    assert not rules_on(day("1957-12-31")).any_council
