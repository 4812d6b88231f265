"""Every edit is recorded with who, when, and the values before and after."""

import pytest
from django.urls import reverse

from stances.models import Question, Stance
from tests.admin_forms import admin_post_data
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


def test_a_stance_change_in_the_admin_is_in_its_history_with_who_before_and_after(
    editor_client, editor
):
    question = make_question()
    record(question, "SK", "maybe", "2024-03-01")
    stance = Stance.objects.get(question=question, member_state__code="SK")
    url = reverse("admin:stances_stance_change", args=[stance.pk])
    data = admin_post_data(
        editor_client.get(url),
        new_position=question.positions.get(key="no").pk,
        new_effective_on="2024-03-18",
        new_confidence="official",
        new_sources=[str(make_source().pk)],
    )
    assert editor_client.post(url, data).status_code == 302
    latest = stance.history.first()
    assert latest.history_user == editor
    delta = latest.diff_against(latest.prev_record)
    changed = {c.field: (c.old, c.new) for c in delta.changes}
    maybe, no = (question.positions.get(key=k).pk for k in ("maybe", "no"))
    assert changed["position"] == (maybe, no)
    history_page = editor_client.get(reverse("admin:stances_stance_history", args=[stance.pk]))
    assert history_page.status_code == 200
    assert "editor" in history_page.content.decode()


def test_a_correction_to_a_timeline_entry_keeps_the_old_text_in_history(editor_client, editor):
    question = make_question()
    change = record(question, "SK", "maybe", "2024-03-01", summary="Old wording")
    url = reverse("admin:stances_stancechange_change", args=[change.pk])
    data = admin_post_data(editor_client.get(url), summary="Corrected wording")
    assert editor_client.post(url, data).status_code == 302
    change.refresh_from_db()
    assert change.summary == "Corrected wording"
    summaries = list(change.history.values_list("summary", flat=True))
    assert summaries[:2] == ["Corrected wording", "Old wording"]
    assert change.history.first().history_user == editor
    assert Stance.objects.get(pk=change.stance_id).summary == "Corrected wording"


def test_deleting_a_question_is_recorded(admin_client):
    question = make_question()
    url = reverse("admin:stances_question_delete", args=[question.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    deleted = Question.history.filter(id=question.pk, history_type="-")
    assert deleted.count() == 1


def test_recording_a_change_with_sources_writes_one_history_entry_with_them():
    question = make_question()
    sources = [make_source(), make_source()]
    change = record(question, "SK", "maybe", "2024-03-01", sources=sources)
    (entry,) = change.history.all()
    assert entry.history_type == "+"
    assert {s.source_id for s in entry.sources.all()} == {s.pk for s in sources}


def test_the_panel_shows_no_edit_on_an_entry_nobody_edited(editor_client):
    question = make_question()
    record(question, "SK", "maybe", "2024-03-01")
    url = reverse("country_timeline", args=[question.slug, "sk"])
    audit = editor_client.get(url).content.decode().split('class="meta audit"')[1].split("</p>")[0]
    assert "Recorded" in audit
    assert "edited" not in audit


def test_the_panel_names_who_recorded_each_entry_and_no_one_for_the_others(editor_client, editor):
    question = make_question()
    record(question, "SK", "maybe", "2024-03-01", user=editor)
    record(question, "SK", "yes", "2024-03-02")  # the import, say: no editor
    url = reverse("country_timeline", args=[question.slug, "sk"])
    for response in (
        editor_client.get(url),
        editor_client.get(url, headers={"HX-Request": "true", "HX-Target": "panel"}),
    ):
        later, earlier = response.content.decode().split('class="meta audit"')[1:3]
        assert "Recorded" in later and " by " not in later.split("</p>")[0]
        assert f"by {editor.username}</p>" in earlier.replace("\n", "")


def test_amending_an_entry_and_its_sources_writes_one_history_entry(editor_client, editor):
    question = make_question()
    change = record(question, "SK", "maybe", "2024-03-01", summary="Old wording")
    url = reverse("admin:stances_stancechange_change", args=[change.pk])
    data = admin_post_data(
        editor_client.get(url), summary="New wording", sources=[str(make_source().pk)]
    )
    assert editor_client.post(url, data).status_code == 302
    assert [e.history_type for e in change.history.all()] == ["~", "+"]
    assert change.history.first().history_user == editor
