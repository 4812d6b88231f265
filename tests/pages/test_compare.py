"""Two dates compared: the moves between them, exactly, on the page, in the downloads and API."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from tests.factories import make_question, make_source, record
from tests.published.test_api import assert_matches

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2024-01-10", "to": "2024-02-28"}
# (member state, from, to, taken on): what happens in PERIOD, and nothing else.
MOVES = [
    ("HU", None, "no", "2024-01-15"),
    ("PL", "yes", "no", "2024-01-20"),
    ("FR", "yes", "no", "2024-02-01"),
    ("IT", "yes", "no", "2024-02-10"),
    ("PL", "no", "yes", "2024-02-20"),
]


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    for code in ("FR", "IT", "PL"):
        record(question, code, "yes", "2024-01-10")
    record(question, "DE", "maybe", "2024-01-10")
    record(question, "HU", "no", "2024-01-15")
    record(question, "PL", "no", "2024-01-20")
    record(question, "FR", "no", "2024-02-01", summary="Paris turns.")
    record(question, "FR", "no", "2024-02-05", summary="Paris confirms.")  # no move
    record(question, "IT", "maybe", "2024-02-10")  # the same day's last one counts
    record(question, "IT", "no", "2024-02-10", sources=[make_source(title="Rome says no")])
    record(question, "PL", "yes", "2024-02-20")
    record(question, "DE", "yes", "2024-03-01")  # after the period
    return question


def compare_page(client, question, params=PERIOD, **headers):
    return client.get(reverse("question_compare", args=[question.slug]), params, headers=headers)


def moves_listed(response):
    html = response.content.decode()
    listed = re.search(r'<ol class="move-list">(.*?)</ol>\s*(?:{%|<)', html, re.S).group(1)
    items = re.findall(r"<li>\s*<p>(.*?)</p>", listed, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def test_the_page_lists_exactly_the_moves_of_the_period(client, question):
    listed = moves_listed(compare_page(client, question))
    assert listed == [
        "Hungary : No record → to Opposes taken 15 January 2024",
        "Poland : Supports → to Opposes taken 20 January 2024",
        "France : Supports → to Opposes taken 1 February 2024",
        "Italy : Supports → to Opposes taken 10 February 2024",
        "Poland : Opposes → to Supports taken 20 February 2024",
    ]


def test_the_map_marks_the_states_that_moved_with_an_outline_and_their_number(client, question):
    html = compare_page(client, question).content.decode()
    moved = set(re.findall(r'<a id="map-([A-Z]{2})" class="country moved"', html))
    assert moved == {"HU", "PL", "FR", "IT"}
    assert html.count('class="moved-outline"') == 4
    assert "Poland: Supports since 20 February 2024; moved between the two dates (move 2)" in html
    assert 'id="map-DE" class="country"' in html


def test_the_counts_and_the_outcome_of_both_dates(client, question):
    html = re.sub(r"\s+", " ", compare_page(client, question).content.decode())
    assert re.search(r"Supports</th><td>3</td><td>1 <span class=\"meta\">\(−2\)", html)
    assert re.search(r"Opposes</th><td>0</td><td>3 <span class=\"meta\">\(\+3\)", html)


def test_without_dates_it_compares_the_first_record_with_today(client, question):
    response = compare_page(client, question, params={})
    assert response.status_code == 200
    assert len(moves_listed(response)) == len(MOVES) + 1  # Germany's move on 1 March too


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "2024-02-28", "to": "2024-01-10"}, "is after “to”"),
        ({"from": "2024-02-30"}, "“from”: “2024-02-30” is not a date"),
        ({"to": "2999-01-01"}, "“to”: That date is in the future"),
        ({"from": "2023-12-31"}, "before the first record on this question (10 January 2024)"),
        ({"from": "2024-W12-1"}, "“from”:"),
    ],
)
def test_bad_dates_are_a_400_that_says_what_to_change(client, question, params, message):
    response = compare_page(client, question, params=params)
    assert response.status_code == 400
    assert message in response.content.decode()
    fragment = compare_page(client, question, params, HX_Request="true", HX_Target="comparison")
    assert fragment.status_code == 400
    assert message in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_a_question_with_nothing_recorded_says_there_is_nothing_to_compare(client):
    response = compare_page(client, make_question())
    assert response.status_code == 400
    assert "nothing to compare" in response.content.decode()


def test_htmx_gets_the_comparison_alone(client, question):
    response = compare_page(client, question, HX_Request="true", HX_Target="comparison")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert len(moves_listed(response)) == len(MOVES)


def test_the_csv_has_one_row_per_move(client, question):
    response = client.get(reverse("question_compare_csv", args=[question.slug]), PERIOD)
    assert (
        'filename="sanctions-compare-2024-01-10-2024-02-28.csv"'
        in (response["Content-Disposition"])
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [
        (r["code"], r["from_position"] or None, r["to_position"], r["effective_on"]) for r in rows
    ] == MOVES
    assert rows[3]["source_title"] == "Rome says no"


def test_the_json_and_the_api_give_the_moves_counts_and_outcomes(client, question):
    body = json.loads(
        client.get(reverse("question_compare_json", args=[question.slug]), PERIOD).content
    )
    assert [(m["member_state"]["code"], m["effective_on"]) for m in body["moves"]] == [
        (code, on) for code, _, _, on in MOVES
    ]
    assert body["outcome"]["to"]["members"] == 27
    api = assert_matches(
        client.get(f"/api/questions/{question.slug}/compare", PERIOD),
        "/api/questions/{slug}/compare",
    )
    assert api["moves"] == body["moves"]
    assert api["question"]["slug"] == "sanctions"


def test_a_bad_period_in_the_api_is_a_described_400(client, question):
    assert_matches(
        client.get(
            f"/api/questions/{question.slug}/compare", {"from": "2024-03-01", "to": "2024-02-01"}
        ),
        "/api/questions/{slug}/compare",
        status="400",
    )


def test_the_query_count_stays_constant_however_long_the_history(
    client, question, django_assert_max_num_queries
):
    # The revision, the question with its scale and change dates, the 27, two snapshots of two
    # queries each, the moves, their changes and their sources: ten, however long the history.
    with django_assert_max_num_queries(10):
        assert compare_page(client, question).status_code == 200
    for day in range(1, 28):
        for code in ("SE", "FI", "AT"):
            record(question, code, "yes" if day % 2 else "no", f"2024-02-{day:02}")
    with django_assert_max_num_queries(10):
        response = compare_page(client, question)
    assert len(moves_listed(response)) == len(MOVES) + 3 * 27


def test_the_map_page_and_its_date_control_link_to_the_comparison(client, question):
    html = client.get(reverse("question", args=[question.slug]), {"as_of": "2024-02-01"}).content
    assert b'href="/questions/sanctions/compare/?from=2024-02-01"' in html


def test_a_long_list_sends_readers_to_the_downloads(client, question, monkeypatch):
    monkeypatch.setattr("stances.pages.comparing.MOVES_LISTED", 2)
    response = compare_page(client, question)
    assert len(moves_listed(response)) == 2
    assert "And 3 more moves: the" in re.sub(r"\s+", " ", response.content.decode())
    rows = client.get(reverse("question_compare_csv", args=[question.slug]), PERIOD)
    assert len(rows.content.decode("utf-8-sig").strip().splitlines()) == 1 + len(MOVES)
