"""A member state across questions, two dates compared."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions():
    sanctions, recognition = make_question("Sanctions"), make_question("Recognition")
    record(sanctions, "HR", "yes", "2012-01-10")
    record(sanctions, "HR", "no", "2014-02-01")
    record(recognition, "HR", "maybe", "2014-03-01")
    record(recognition, "HR", "maybe", "2014-04-01")  # the same position: no move
    return sanctions, recognition


def rows(response):
    html = re.sub(r"\s+", " ", response.content.decode())
    body = re.search(r"<tbody>(.*?)</tbody>", html).group(1)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in body.split("</tr>")[:-1]
    ]


def test_each_question_with_both_dates_and_the_moves_between(client, questions):
    url = reverse("member_state_compare", args=["hr"])
    response = client.get(url, {"from": "2013-01-01", "to": "2014-06-30"})
    assert response.status_code == 200
    assert rows(response) == [
        "Recognition Not yet a member Undecided No record → to Undecided 1 Mar 2014 , Example News",
        "Sanctions Not yet a member Opposes Supports → to Opposes 1 Feb 2014 , Example News",
    ]


def test_the_country_page_links_to_it_and_bad_dates_are_400s(client, questions):
    assert b"/countries/hr/compare/" in client.get("/countries/hr/").content
    response = client.get("/countries/hr/compare/", {"from": "2014-01-01", "to": "2013-01-01"})
    assert response.status_code == 400
    assert "Put the earlier date first" in response.content.decode()
    assert client.get("/countries/hr/compare/", {"from": "2011-12-31"}).status_code == 400
