"""The "Cite this" text: a question as of a date, with its permalink."""

import datetime

import pytest

from stances import citing
from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return make_question(slug="sanctions")


def test_a_citation_names_the_question_the_date_and_the_permalink(question):
    text = citing.citation(
        question,
        datetime.date(2024, 3, 15),
        "https://stances.example.org/questions/sanctions/",
        accessed=datetime.date(2024, 4, 2),
    )
    assert text == (
        f"Stances, “{question.title}”, as of 15 March 2024, "
        "https://stances.example.org/questions/sanctions/?as_of=2024-03-15 "
        "(accessed 2 April 2024)."
    )
