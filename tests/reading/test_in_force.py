"""The change in force on a date for each stance, with its stance and sources, made into objects
as the ORM would make them."""

import datetime

import pytest
from django.db.models.signals import post_init

from stances.models import Source, Stance, StanceChange
from stances.reading.in_force import in_force_with_sources
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db

day = datetime.date.fromisoformat


@pytest.fixture
def question():
    question = make_question()
    record(question, "FR", "yes", "2024-03-01", summary="Paris says yes.")
    record(
        question,
        "DE",
        "no",
        "2024-03-02",
        summary="Berlin says no.",
        sources=[
            make_source(title="A", published_on=day("2024-03-01")),
            make_source(title="B", published_on=day("2024-03-02")),
        ],
    )
    return question


def test_each_object_is_the_one_the_orm_reads(question):
    changes = in_force_with_sources(question, day("2024-03-05"))
    assert len(changes) == 2
    for change in changes:
        orm = StanceChange.objects.select_related("stance").get(pk=change.pk)
        assert fields_of(change) == fields_of(orm)
        assert fields_of(change.stance) == fields_of(orm.stance)
        assert change._state.adding is False and change._state.db == "default"
        assert change.stance._state.adding is False
        newest_first = Source.objects.filter(changes=orm).order_by("-published_on", "id")
        assert [fields_of(s) for s in change.source_list] == [fields_of(s) for s in newest_first]
    german = next(c for c in changes if c.summary == "Berlin says no.")
    assert [s.title for s in german.source_list] == ["B", "A"]
    # Saved again as it was read, the object updates its row rather than adding one.
    german.save(update_fields=["summary"])
    assert StanceChange.objects.filter(stance=german.stance).count() == 1


def test_a_receiver_of_post_init_is_called_for_each_object(question):
    made = []

    def note(sender, instance, **kwargs):
        made.append(sender)

    post_init.connect(note, sender=Stance)
    try:
        changes = in_force_with_sources(question, day("2024-03-05"))
    finally:
        post_init.disconnect(note, sender=Stance)
    assert made == [Stance, Stance]
    assert {c.stance.member_state.code for c in changes} == {"FR", "DE"}


def fields_of(instance) -> dict:
    """Each field's value, its type and its time zone: PostgreSQL gives this query's rows in
    binary, the ORM's in text."""
    values = [getattr(instance, field.attname) for field in instance._meta.concrete_fields]
    return {
        field.attname: (value, type(value), getattr(value, "tzinfo", None))
        for field, value in zip(instance._meta.concrete_fields, values, strict=True)
    }
