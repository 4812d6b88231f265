"""The rules hold in the database itself, not only in forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stances.models import Position, Source, Stance, StanceChange
from tests.factories import make_question, make_source, member_state, record

pytestmark = pytest.mark.django_db


def test_a_second_stance_for_the_same_question_and_member_state_is_refused():
    question = make_question()
    record(question, "IT", "yes", "2024-03-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(
            question=question,
            member_state=member_state("IT"),
            position=question.positions.get(key="no"),
            confidence="reported",
            since=datetime.date(2024, 3, 2),
        )
    assert Stance.objects.filter(question=question).count() == 1


def test_a_duplicate_stance_gets_a_clear_validation_message():
    question = make_question()
    record(question, "IT", "yes", "2024-03-01")
    duplicate = Stance(
        question=question,
        member_state=member_state("IT"),
        position=question.positions.get(key="no"),
        confidence="reported",
        since=datetime.date(2024, 3, 2),
    )
    with pytest.raises(ValidationError, match="already has a stance on this question"):
        duplicate.full_clean()


def test_a_stance_cannot_take_a_position_from_another_questions_scale():
    question, other = make_question(), make_question()
    with pytest.raises(IntegrityError, match="position does not belong"), transaction.atomic():
        Stance.objects.create(
            question=question,
            member_state=member_state("PL"),
            position=other.positions.get(key="yes"),
            confidence="reported",
            since=datetime.date(2024, 3, 2),
        )
    assert not Stance.objects.exists()


def test_a_change_cannot_take_a_position_from_another_questions_scale():
    question, other = make_question(), make_question()
    change = record(question, "PL", "yes", "2024-03-01")
    with pytest.raises(IntegrityError, match="position does not belong"), transaction.atomic():
        StanceChange.objects.filter(pk=change.pk).update(position=other.positions.get(key="no"))
    change.refresh_from_db()
    assert change.position.key == "yes"


def test_model_validation_names_the_wrong_position():
    question, other = make_question(), make_question()
    change = record(question, "PL", "yes", "2024-03-01")
    change.position = other.positions.get(key="no")
    with pytest.raises(ValidationError, match="belongs to another question"):
        change.full_clean()


def test_a_position_in_use_cannot_move_to_another_question():
    question, other = make_question(), make_question()
    record(question, "PL", "yes", "2024-03-01")
    position = question.positions.get(key="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.filter(pk=position.pk).update(question=other)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "example.org"]
)
def test_a_source_address_must_be_http_or_https(url):
    source = Source(url=url, title="T", publisher="P")
    with pytest.raises(ValidationError, match="http:// or https://"):
        source.full_clean()


def test_the_database_refuses_a_javascript_address_even_without_the_form():
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(url="javascript:alert(1)", title="T", publisher="P")
    assert not Source.objects.exists()


def test_the_database_refuses_a_colour_that_is_not_hex():
    question = make_question()
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            question=question, key="odd", label="Odd", colour="red", order=9, vote="for"
        )


def test_the_database_refuses_dates_before_1900():
    question = make_question()
    change = record(question, "PL", "yes", "2024-03-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        StanceChange.objects.filter(pk=change.pk).update(
            effective_on=datetime.date(1899, 12, 31), position_since=datetime.date(1899, 12, 31)
        )


def test_a_position_taken_before_the_union_existed_can_be_recorded():
    question = make_question(opened_on=datetime.date(1948, 5, 14))
    change = record(question, "FR", "yes", "1949-01-24")
    assert change.effective_on == datetime.date(1949, 1, 24)


def test_a_source_date_in_the_future_is_refused():
    source = make_source()
    source.published_on = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError, match="future"):
        source.full_clean()
