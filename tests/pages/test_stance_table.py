"""The table of the 27 on the map page: sortable and filterable, with and without htmx."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question()
    record(question, "SE", "yes", "2024-03-01")
    record(question, "AT", "no", "2024-03-05")
    record(question, "BE", "yes", "2024-03-03")
    return question


def row_order(response):
    return re.findall(r'<tr id="row-([A-Z]{2})">', response.content.decode())


def get(client, question, **params):
    return client.get(reverse("question", args=[question.slug]), params)


def test_the_table_lists_all_27_in_eu_protocol_order_by_default(client, question):
    rows = row_order(get(client, question))
    assert len(rows) == 27
    assert rows[:3] == ["BE", "BG", "CZ"]
    assert rows[-1] == "SE"


def test_filtering_by_position_keeps_only_those_member_states(client, question):
    assert row_order(get(client, question, position="yes")) == ["BE", "SE"]
    assert len(row_order(get(client, question, position="none"))) == 24


def test_sorting_by_since_newest_first(client, question):
    rows = row_order(get(client, question, sort="-since", position="yes"))
    assert rows == ["BE", "SE"]
    assert row_order(get(client, question, sort="since", position="yes")) == ["SE", "BE"]


def test_sorting_by_name(client, question):
    rows = row_order(get(client, question, sort="name"))
    assert rows[:2] == ["AT", "BE"]


@pytest.mark.parametrize(
    ("params", "message"),
    [({"sort": "population"}, "Cannot sort by"), ({"position": "maybe-not"}, "no position")],
)
def test_an_unknown_sort_or_position_gets_a_clear_400(client, question, params, message):
    response = get(client, question, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_htmx_gets_only_the_table(client, question):
    response = client.get(
        reverse("question", args=[question.slug]),
        {"position": "no"},
        headers={"HX-Request": "true", "HX-Target": "table"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="table"')
    assert row_order(response) == ["AT"]
