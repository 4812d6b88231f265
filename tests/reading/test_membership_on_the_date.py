"""The Union as it was on the date: who was a member, who is counted, which rules applied."""

import datetime

import pytest

from stances.reading.snapshots import take_snapshot
from stances.union import UNITED_KINGDOM
from stances.voting import BLOCKED, UNDECIDED_WITHOUT_UNTRACKED
from tests.factories import make_question, record, record_for_all

pytestmark = pytest.mark.django_db

JOINED_2004 = {"CY", "CZ", "EE", "HU", "LT", "LV", "MT", "PL", "SI", "SK"}
day = datetime.date.fromisoformat


@pytest.fixture
def question():
    question = make_question()
    record_for_all(question, "yes", "1999-01-01")
    return question


def test_as_of_june_2003_the_2004_2007_and_2013_entrants_are_not_yet_members(question):
    snapshot = take_snapshot(question, day("2003-06-01"))
    not_yet = {row.member_state.code for row in snapshot.not_yet_members}
    assert not_yet == JOINED_2004 | {"BG", "RO", "HR"}
    assert all(row.position is None for row in snapshot.not_yet_members)
    assert len(snapshot.members) == 14
    assert snapshot.untracked == (UNITED_KINGDOM,)
    assert snapshot.council_size == 15
    assert snapshot.outcome.unanimity.status == UNDECIDED_WITHOUT_UNTRACKED
    assert snapshot.outcome.qualified_majority.members_total == 15


def test_the_legend_counts_those_not_yet_members_apart(question):
    counts = {count.key: count.count for count in take_snapshot(question, day("2003-06-01")).counts}
    assert counts["yes"] == 14
    assert counts["not-member"] == 13


def test_a_position_recorded_before_accession_shows_from_the_accession_date(question):
    record(question, "HR", "no", "2010-01-01")
    assert take_snapshot(question, day("2013-06-30")).rows[10].position is None
    croatia = take_snapshot(question, day("2013-07-01")).rows[10]
    assert croatia.member_state.code == "HR"
    assert croatia.position.key == "no"


def test_after_brexit_the_27_are_the_council(question):
    snapshot = take_snapshot(question, day("2020-02-01"))
    assert snapshot.untracked == ()
    assert snapshot.council_size == 27
    record(question, "HU", "no", "2020-02-01")
    assert take_snapshot(question, day("2020-02-01")).outcome.unanimity.status == BLOCKED


def test_the_population_figures_are_named_with_their_year(question):
    sources = take_snapshot(question, day("2016-01-01")).population_sources
    assert any("1 January 2024" in source for source in sources)
    assert any("1 January 2019" in source and "United Kingdom" in source for source in sources)
