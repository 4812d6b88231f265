"""The map page as of a past date: the Union's members and the Council's rules of that day."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_question, record, record_for_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question()
    record_for_all(question, "yes", "1999-01-01")
    return question


def text_of(response, element_id):
    html = response.content.decode()
    match = re.search(rf'<section id="{element_id}".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def html_of(client, question, as_of="2003-06-01"):
    return page(client, question, as_of).content.decode()


def page(client, question, as_of):
    return client.get(reverse("question", args=[question.slug]), {"as_of": as_of})


def test_june_2003_shows_13_not_yet_members_on_the_map_in_the_table_and_in_the_legend(
    client, question
):
    response = page(client, question, "2003-06-01")
    html = response.content.decode()
    assert html.count('fill="url(#not-member)"') == 13 + 2  # Malta's and Cyprus's circles too
    assert 'aria-label="Poland: not yet a member (joined 1 May 2004)"' in html
    table = text_of(response, "table")
    assert table.count("Not yet a member") == 13 + 1  # each row, and the filter
    assert "(14 of them members on 1 June 2003)" in table
    legend = text_of(response, "legend")
    assert "Not yet a member 13" in legend


def test_june_2003_counts_the_14_and_names_the_united_kingdom_as_the_fifteenth(client, question):
    outcome = text_of(page(client, question, "2003-06-01"), "outcome")
    assert "If the Council had voted on 1 June 2003" in outcome
    assert "today" not in re.search(
        r"<h2 id=\"outcome-heading\">.*?</h2>", html_of(client, question)
    ).group(0)
    assert "The Council then had 15 members" in outcome
    assert "the 14 tracked by Stances (13 of today’s 27 had not joined yet)" in outcome
    assert "the United Kingdom, a member until 31 January 2020" in outcome
    assert "Undecided without the United Kingdom" in outcome


def test_before_november_2014_the_weighted_votes_are_named_and_no_double_majority_computed(
    client, question
):
    outcome = text_of(page(client, question, "2010-01-01"), "outcome")
    assert "Weighted votes: not computed here" in outcome
    assert "65% needed" not in outcome
    assert "Reinforced qualified majority" not in outcome
    assert "Unanimity" in outcome


def test_in_2016_an_outcome_the_united_kingdom_could_swing_is_undecided(client, question):
    # Germany, France, Malta and Luxembourg against: 24 of 28 for, with 57% of the population
    # without the United Kingdom's 13%, and 70% with it; against, it would make five who block.
    for code in ("DE", "FR", "MT", "LU"):
        record(question, code, "no", "2015-06-01")
    outcome = text_of(page(client, question, "2016-01-01"), "outcome")
    assert "Qualified majority (Commission proposal) Undecided without the United Kingdom" in (
        outcome
    )
    assert "Until 31 March 2017 any member could ask" in outcome


def test_today_the_heading_says_today_and_counts_all_27(client, question):
    response = client.get(reverse("question", args=[question.slug]))
    outcome = text_of(response, "outcome")
    assert "If the Council voted today" in outcome
    assert "Counted here: all 27 members." in outcome
    assert "not-member" not in response.content.decode().split('id="table"')[0].split("<defs>")[0]
