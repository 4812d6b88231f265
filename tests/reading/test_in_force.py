"""The change in force on a date for each stance, with its stance and sources, made into objects
as the ORM would make them."""

import datetime

import pytest
from django.db.models import F
from django.db.models.signals import post_init

from stances import records
from stances.models import Source, Stance, StanceChange
from stances.reading.in_force import in_force_and_listed, in_force_with_sources
from tests.factories import make_editor, make_question, make_source, record

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


def test_the_panels_changes_come_with_what_it_shows_of_them(question):
    editor = make_editor()
    checked = make_source(title="Still holds")
    first = record(question, "DE", "yes", "2024-03-03", summary="Berlin turns.", user=editor)
    later = record(question, "DE", "no", "2024-03-09", summary="Berlin turns back.")
    stance = later.stance
    records.confirm_current(
        stance=stance, checked_on=day("2024-03-20"), source=checked, expected_version=stance.version
    )
    listed = {first.pk, later.pk}

    changes = {c.pk: c for c in in_force_and_listed(question, day("2024-03-05"), listed)}

    # The French change in force, the German one in force then (`first`), and the later one.
    assert {c.summary for c in changes.values()} == {
        "Paris says yes.",
        "Berlin turns.",
        "Berlin turns back.",
    }
    for change in changes.values():
        orm = (
            StanceChange.objects.select_related("stance", "stance__checked_source")
            .annotate(recorded_by_name=F("recorded_by__username"))
            .get(pk=change.pk)
        )
        assert fields_of(change) == fields_of(orm)
        assert fields_of(change.stance) == fields_of(orm.stance)
        assert change.recorded_by_name == orm.recorded_by_name
        newest_first = Source.objects.filter(changes=orm).order_by("-published_on", "id")
        assert [fields_of(s) for s in change.source_list] == [fields_of(s) for s in newest_first]
    assert changes[first.pk].recorded_by_name == "editor"
    assert changes[later.pk].recorded_by_name is None
    assert fields_of(changes[later.pk].stance.checked_source) == fields_of(checked)
    assert (
        changes[
            question.stances.get(member_state__code="FR").changes.get().pk
        ].stance.checked_source
        is None
    )


def test_a_listed_change_in_force_comes_once(question):
    german = StanceChange.objects.get(summary="Berlin says no.")
    changes = in_force_and_listed(question, day("2024-03-05"), [german.pk])
    assert sorted(c.summary for c in changes) == ["Berlin says no.", "Paris says yes."]
    assert [s.title for s in next(c for c in changes if c.pk == german.pk).source_list] == [
        "B",
        "A",
    ]


def test_nothing_listed_gives_the_changes_in_force(question):
    changes = in_force_and_listed(question, day("2024-03-05"), [])
    assert sorted(c.summary for c in changes) == ["Berlin says no.", "Paris says yes."]


def fields_of(instance) -> dict:
    """Each field's value, its type and its time zone: PostgreSQL gives this query's rows in
    binary, the ORM's in text."""
    values = [getattr(instance, field.attname) for field in instance._meta.concrete_fields]
    return {
        field.attname: (value, type(value), getattr(value, "tzinfo", None))
        for field, value in zip(instance._meta.concrete_fields, values, strict=True)
    }
