import pytest

from tests.factories import make_question, record


@pytest.fixture
def question():
    """A published question with Hungary undecided since 1 March 2024."""
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01")
    return question
