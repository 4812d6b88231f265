import datetime

import pytest
from django.core.exceptions import ValidationError

from stances import timeline
from stances.models import TIMELINE_ORDER, Source, Stance, StanceChange
from stances.records import StaleVersion, amend_change, delete_change
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


def test_the_first_change_creates_the_stance():
    question = make_question()
    record(question, "HU", "no", "2024-03-10", summary="Budapest says no.")
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert stance.position.key == "no"
    assert stance.summary == "Budapest says no."
    assert stance.since == datetime.date(2024, 3, 10)
    assert stance.version == 1


def test_a_change_recorded_later_with_an_earlier_date_does_not_become_current():
    question = make_question()
    record(question, "HU", "no", "2024-03-10")
    record(question, "HU", "yes", "2024-03-01")  # entered after the fact
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert stance.position.key == "no"
    assert stance.since == datetime.date(2024, 3, 10)
    assert stance.changes.count() == 2


def test_since_is_when_the_current_position_was_first_taken():
    question = make_question()
    record(question, "FR", "maybe", "2024-03-01")
    record(question, "FR", "yes", "2024-03-05")
    record(question, "FR", "yes", "2024-03-12", summary="Reaffirmed.")
    stance = Stance.objects.get(question=question, member_state__code="FR")
    assert stance.since == datetime.date(2024, 3, 5)
    assert stance.summary == "Reaffirmed."


def test_each_entrys_since_agrees_with_its_whole_timeline_however_it_was_entered():
    """Entries after the last one, on its day or later, and entries put in between: each
    entry's `position_since` is what the timeline as a whole gives it."""
    question = make_question()
    for key, on in [
        ("no", "2024-03-01"),
        ("no", "2024-03-10"),
        ("no", "2024-03-10"),  # the same day, recorded later: after it
        ("yes", "2024-03-05"),  # in between: the run of "no" on 10 March starts again
        ("yes", "2024-03-12"),
        ("yes", "2024-03-12"),
        ("maybe", "2024-03-02"),
        ("no", "2024-03-20"),
    ]:
        record(question, "FR", key, on)
    changes = list(StanceChange.objects.filter(stance__question=question).order_by(*TIMELINE_ORDER))
    runs = timeline.position_since(
        [timeline.Entry(c.pk, c.position_id, c.effective_on) for c in changes]
    )
    assert [c.position_since for c in changes] == [runs[c.pk] for c in changes]
    assert [c.position_since.day for c in changes] == [1, 2, 5, 10, 10, 12, 12, 20]
    stance = Stance.objects.get(question=question, member_state__code="FR")
    assert (stance.position.key, stance.since) == ("no", datetime.date(2024, 3, 20))


def test_a_stale_version_raises_and_writes_nothing():
    question = make_question()
    record(question, "DE", "maybe", "2024-03-01")
    record(question, "DE", "yes", "2024-03-02", expected_version=1)
    with pytest.raises(StaleVersion):
        record(question, "DE", "no", "2024-03-03", expected_version=1)
    stance = Stance.objects.get(question=question, member_state__code="DE")
    assert stance.position.key == "yes"
    assert stance.version == 2
    assert StanceChange.objects.filter(stance=stance).count() == 2


def test_a_stance_read_before_its_last_entry_was_deleted_is_stale_and_nothing_is_written():
    question = make_question()
    first = record(question, "HU", "no", "2024-03-10")
    read_by_the_editor = Stance.objects.get(pk=first.stance_id)
    delete_change(change=first)  # an admin, meanwhile: the stance goes with its last entry
    sources_before = Source.objects.count()
    new_source = Source(url="https://news.example.org/new", title="New", publisher="Example")
    with pytest.raises(StaleVersion):
        record(
            question,
            "HU",
            "yes",
            "2024-03-12",
            expected_version=1,
            stance=read_by_the_editor,
            sources=[new_source],
        )
    assert not Stance.objects.filter(question=question).exists()
    assert not StanceChange.objects.filter(stance__question=question).exists()
    assert Source.objects.count() == sources_before  # the editor's new source went nowhere


def test_a_future_date_is_refused():
    question = make_question()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="future"):
        record(question, "DE", "yes", tomorrow)
    assert not StanceChange.objects.exists()
    assert not Stance.objects.exists()


def amend(change, **fields):
    values = {
        "position": change.position,
        "effective_on": change.effective_on,
        "summary": change.summary,
        "confidence": change.confidence,
        "sources": list(change.sources.all()),
        "expected_version": change.stance.version,
    }
    return amend_change(change=change, **(values | fields))


def test_amending_an_entrys_date_makes_another_entry_current():
    question = make_question()
    first = record(question, "AT", "maybe", "2024-03-01")
    record(question, "AT", "yes", "2024-03-05", expected_version=1)
    amend(StanceChange.objects.get(pk=first.pk), effective_on=datetime.date(2024, 3, 9))
    stance = Stance.objects.get(question=question, member_state__code="AT")
    assert stance.position.key == "maybe"
    assert stance.since == datetime.date(2024, 3, 9)
    assert stance.version == 3


def test_amending_with_a_stale_version_raises_and_writes_nothing():
    question = make_question()
    change = record(question, "AT", "maybe", "2024-03-01", summary="Vienna hesitates.")
    record(question, "AT", "yes", "2024-03-05", expected_version=1)
    with pytest.raises(StaleVersion):
        amend(StanceChange.objects.get(pk=change.pk), summary="Reworded.", expected_version=1)
    assert StanceChange.objects.get(pk=change.pk).summary == "Vienna hesitates."
    assert Stance.objects.get(question=question, member_state__code="AT").version == 2


def test_a_new_change_cites_each_source_once_and_its_one_history_entry_lists_them():
    question = make_question()
    kept, new = make_source(title="Kept"), Source(url="https://example.org/new", title="New")
    change = record(question, "AT", "yes", "2024-03-01", sources=[kept, new, kept])
    change = StanceChange.objects.get(pk=change.pk)
    assert sorted(s.title for s in change.sources.all()) == ["Kept", "New"]
    (entry,) = change.history.all()
    assert sorted(link.source.title for link in entry.sources.all()) == ["Kept", "New"]


def test_amended_sources_replace_the_old_ones():
    question = make_question()
    change = record(question, "AT", "yes", "2024-03-01")
    other = make_source(title="A better source")
    amend(StanceChange.objects.get(pk=change.pk), sources=[other])
    assert list(StanceChange.objects.get(pk=change.pk).sources.all()) == [other]


def test_deleting_the_current_entry_makes_the_previous_one_current_and_moves_the_version():
    question = make_question()
    record(question, "BE", "maybe", "2024-03-01")
    latest = record(question, "BE", "yes", "2024-03-05")
    delete_change(change=StanceChange.objects.get(pk=latest.pk))
    stance = Stance.objects.get(question=question, member_state__code="BE")
    assert stance.position.key == "maybe"
    assert stance.since == datetime.date(2024, 3, 1)
    assert stance.version == 2


def test_deleting_the_only_entry_deletes_the_stance():
    question = make_question()
    change = record(question, "BE", "yes", "2024-03-01")
    delete_change(change=change)
    assert not Stance.objects.filter(question=question).exists()
