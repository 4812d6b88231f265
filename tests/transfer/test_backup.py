"""Backup and restore: all the stance data to one JSON file and back, identically."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from stances.models import Position, Question, Source, Stance, StanceChange
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(editor):
    question = make_question(slug="sanctions", description="Česko and Ελλάδα.")
    make_question(slug="draft", published=False)
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.", user=editor)
    record(question, "HU", "no", "2024-03-09", summary="Budapest says no.")
    record(question, "GR", "yes", "2024-03-05", sources=[make_source(), make_source(quote="Q")])
    record(question, "GR", "yes", "2024-03-05", summary="Same day, later")
    make_source(title="Not cited yet")
    return question


def backup(tmp_path, name="backup.json"):
    path = tmp_path / name
    call_command("backup_stances", str(path))
    return path


def empty_the_records():
    StanceChange.objects.all().delete()
    Stance.objects.all().delete()
    Position.objects.all().delete()
    Question.objects.all().delete()
    Source.objects.all().delete()


def test_a_backup_holds_questions_scales_timelines_and_sources(records, tmp_path):
    document = json.loads(backup(tmp_path).read_text(encoding="utf-8"))
    assert [q["slug"] for q in document["questions"]] == ["draft", "sanctions"]
    sanctions = document["questions"][1]
    assert [p["key"] for p in sanctions["positions"]] == ["yes", "maybe", "no", "silent"]
    hungary = sanctions["timelines"]["HU"]
    assert [c["summary"] for c in hungary] == ["Budapest hesitates.", "Budapest says no."]
    assert hungary[0]["recorded_by"] == "editor"
    assert hungary[1]["recorded_by"] is None
    assert len(document["sources"]) == 6
    assert "password" not in json.dumps(document)


def test_backup_restore_backup_gives_the_same_file(records, tmp_path):
    first = backup(tmp_path, "first.json")
    recorded = {c.summary: c.recorded_at for c in StanceChange.objects.all()}
    empty_the_records()
    call_command("restore_stances", str(first))
    second = backup(tmp_path, "second.json")
    assert second.read_bytes() == first.read_bytes()
    assert {c.summary: c.recorded_at for c in StanceChange.objects.all()} == recorded


def test_a_restored_stance_follows_its_timeline(records, tmp_path):
    path = backup(tmp_path)
    empty_the_records()
    call_command("restore_stances", str(path))
    hungary = Stance.objects.get(member_state__code="HU")
    assert (hungary.position.key, hungary.since) == ("no", datetime.date(2024, 3, 9))
    assert hungary.summary == "Budapest says no."
    greece = Stance.objects.get(member_state__code="GR")
    assert greece.summary == "Same day, later"
    assert StanceChange.objects.get(summary="Budapest hesitates.").recorded_by.username == "editor"


def test_restore_refuses_a_database_with_questions(records, tmp_path):
    path = backup(tmp_path)
    with pytest.raises(CommandError, match="already has questions"):
        call_command("restore_stances", str(path))
    assert Question.objects.count() == 2


def test_a_recorder_unknown_here_is_left_empty_with_a_warning(records, tmp_path, capsys):
    path = backup(tmp_path)
    empty_the_records()
    get_user_model().objects.filter(username="editor").delete()
    call_command("restore_stances", str(path))
    assert "editor" in capsys.readouterr().err
    assert not StanceChange.objects.filter(recorded_by__isnull=False).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not a JSON file"),
        ('{"format": "other"}', "not a Stances backup"),
        ('{"format": "stances-backup", "version": 99}', "version 99"),
        ('{"format": "stances-backup", "version": 1, "sources": []}', "missing 'questions'"),
    ],
)
def test_a_bad_file_is_refused_clearly(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore_stances", str(path))


def test_a_damaged_backup_writes_nothing(records, tmp_path):
    path = backup(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["questions"][1]["timelines"]["GR"][0]["position"] = "no-such-position"
    path.write_text(json.dumps(document))
    empty_the_records()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_stances", str(path))
    assert not Question.objects.exists() and not Source.objects.exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore_stances", str(tmp_path / "nothing.json"))


def test_the_backup_costs_a_constant_number_of_queries(
    records, tmp_path, django_assert_max_num_queries
):
    for day in range(10, 20):
        record(records, "DE", "yes" if day % 2 else "no", f"2024-03-{day}")
    with django_assert_max_num_queries(5):
        backup(tmp_path)
