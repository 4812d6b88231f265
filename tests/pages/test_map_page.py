"""The question's map page: the 27 coloured by position, legend, outcome, as-of time travel."""

import re

import pytest
from django.urls import reverse

from stances.models import MemberState
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db

COUNTRY = re.compile(
    r'<a id="map-(?P<code>[A-Z]{2})" class="country[^"]*".*?<path d="[^"]+" fill="(?P<fill>[^"]+)"',
    re.S,
)


def countries_on_map(response):
    return {m["code"]: m["fill"] for m in COUNTRY.finditer(response.content.decode())}


def legend_count(response, key):
    match = re.search(rf'data-count="{key}">(\d+)<', response.content.decode())
    return int(match.group(1))


@pytest.fixture
def question():
    question = make_question()
    for code in MemberState.objects.values_list("code", flat=True):
        record(question, code, "maybe", "2024-03-01")
    record(question, "HU", "no", "2024-03-10")
    record(question, "DE", "yes", "2024-03-12")
    return question


def page(client, question, **params):
    return client.get(reverse("question", args=[question.slug]), params)


def test_the_map_draws_exactly_the_27_members_in_their_positions_colours(client, question):
    fills = countries_on_map(page(client, question))
    assert set(fills) == set(MemberState.objects.values_list("code", flat=True))
    assert fills["HU"] == "#D55E00"  # Opposes
    assert fills["DE"] == "#0072B2"  # Supports
    assert fills["FR"] == "#E69F00"  # Undecided


def test_other_countries_are_drawn_grey_for_orientation(client, question):
    body = page(client, question).content.decode()
    assert body.count('class="context"') == 1


def test_malta_and_cyprus_get_markers_that_can_be_clicked(client, question):
    body = page(client, question).content.decode()
    for code in ("MT", "CY"):
        country = re.search(rf'<a id="map-{code}".*?</a>', body, re.S).group(0)
        assert '<circle class="marker"' in country
        assert reverse("country_timeline", args=[question.slug, code.lower()]) in country
    luxembourg = re.search(r'<a id="map-LU".*?</a>', body, re.S).group(0)
    assert "<circle" not in luxembourg  # any circle big enough to see would cover its neighbours
    assert 'class="country hard-to-see"' in luxembourg


def test_states_too_small_to_tap_get_a_button_under_the_map_opening_their_panel(client, question):
    body = page(client, question, as_of="2024-03-20").content.decode()
    inset = re.search(r'<div class="map-inset".*?</ul>', body, re.S).group(0)
    assert 'hx-target="#panel"' in inset
    buttons = dict(re.findall(r'<li id="inset-(\w\w)"[^>]* class="inset-(\w+)"', inset))
    assert buttons["LU"] == "always"
    assert buttons["BE"] == buttons["MT"] == buttons["SI"] == "narrow"
    assert "FR" not in buttons and "DE" not in buttons
    timeline = reverse("country_timeline", args=[question.slug, "lu"]) + "?as_of=2024-03-20"
    luxembourg = re.search(r'<li id="inset-LU".*?</li>', inset, re.S).group(0)
    assert f'href="{timeline}"' in luxembourg and f'hx-get="{timeline}"' in luxembourg
    assert 'aria-label="Luxembourg: ' in luxembourg and ">LU</a>" in luxembourg


def test_each_country_says_its_position_and_since_when_without_colour(client, question):
    body = page(client, question).content.decode()
    assert 'aria-label="Hungary: Opposes since 10 March 2024"' in body
    assert 'data-since="since 10 March 2024"' in body


def test_the_legend_counts_the_members_per_position(client, question):
    response = page(client, question)
    assert legend_count(response, "maybe") == 25
    assert legend_count(response, "no") == 1
    assert legend_count(response, "yes") == 1
    assert legend_count(response, "silent") == 0


def test_as_of_shows_the_map_as_it_stood_on_that_date(client, question):
    response = page(client, question, as_of="2024-03-11")
    fills = countries_on_map(response)
    assert fills["HU"] == "#D55E00"
    assert fills["DE"] == "#E69F00"  # Germany changed on 12 March
    assert legend_count(response, "yes") == 0
    assert "As of <strong>11 March 2024</strong>" in response.content.decode()


def test_before_any_record_every_country_shows_no_record(client, question):
    response = page(client, question, as_of="2024-02-01")
    assert set(countries_on_map(response).values()) == {"url(#no-record)"}
    assert legend_count(response, "none") == 27


def test_a_change_entered_later_with_an_earlier_date_replays_in_its_place(client, question):
    record(question, "PL", "no", "2024-03-05")  # recorded today, taken on 5 March
    assert countries_on_map(page(client, question, as_of="2024-03-04"))["PL"] == "#E69F00"
    assert countries_on_map(page(client, question, as_of="2024-03-05"))["PL"] == "#D55E00"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "is not a date"),
        ("2024-02-30", "is not a date"),
        ("1899-12-31", "are not covered"),
        ("2999-01-01", "in the future"),
        ("2024-3-1", "YYYY-MM-DD"),
    ],
)
def test_a_bad_as_of_date_gets_a_clear_400(client, question, value, message):
    response = page(client, question, as_of=value)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_outcome_panel_names_who_blocks_unanimity(client, question):
    body = page(client, question).content.decode()
    assert "Blocked by Hungary." in body


def test_the_outcome_panel_says_which_positions_count_how_and_the_population_source(
    client, question
):
    body = page(client, question).content.decode()
    assert "For: Supports" in body
    assert "Against: Opposes" in body
    assert "Eurostat, population on 1 January 2024" in body


def test_an_htmx_as_of_request_gets_only_the_snapshot(client, question):
    response = client.get(
        reverse("question", args=[question.slug]),
        {"as_of": "2024-03-11"},
        headers={"HX-Request": "true", "HX-Target": "snapshot"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="snapshot"')
    assert "<html" not in body
    assert 'id="legend"' in body and 'id="outcome"' in body and 'id="table"' in body


def test_a_draft_question_is_not_shown(client):
    draft = make_question(published=False)
    assert page(client, draft).status_code == 404


def test_the_map_page_uses_at_most_four_queries_whatever_the_history(
    client, question, django_assert_max_num_queries
):
    for day in range(1, 20):
        record(question, "FR", "yes" if day % 2 else "no", f"2024-04-{day:02d}")
    # The revision, the question with its scale and history, the member states, the changes
    # in force with their stances and sources.
    with django_assert_max_num_queries(4):
        assert page(client, question).status_code == 200
    # The question and the member states are kept until one of them is edited.
    with django_assert_max_num_queries(3):
        assert page(client, question, as_of="2024-04-05").status_code == 200


def test_no_template_comment_is_printed_to_readers(client, question):
    body = client.get(reverse("question", args=[question.slug])).content.decode()
    assert "{#" not in body
    assert "date picker may report" not in body


def test_an_editors_map_page_costs_a_few_more_queries_whatever_the_history(
    editor_client, question, django_assert_max_num_queries
):
    for day in range(1, 20):
        record(question, "FR", "yes" if day % 2 else "no", f"2024-04-{day:02d}")
    # The four of every reader, and the session, the editor, their groups and the device of
    # their second factor.
    with django_assert_max_num_queries(8):
        response = page(editor_client, question)
    assert response.status_code == 200
    assert "Edit<span" in response.content.decode()
