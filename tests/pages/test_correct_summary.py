"""Correcting the summary of the current record: audited, never silently rewritten."""

import pytest
from django.urls import reverse

from stances.models import Stance
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "panel"}


@pytest.fixture
def question():
    question = make_question()
    record(question, "IE", "maybe", "2024-03-01", summary="Dublin is weighng it.")
    return question


def url(question):
    return reverse("correct_stance", args=[question.slug, "ie"])


def test_a_correction_rewords_the_current_record_and_keeps_the_old_text_in_history(
    editor_client, editor, question
):
    response = editor_client.post(
        url(question), {"summary": "Dublin is weighing it.", "version": 1}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Summary corrected." in response.content.decode()
    stance = Stance.objects.get(member_state__code="IE")
    change = stance.changes.get()
    assert stance.summary == change.summary == "Dublin is weighing it."
    assert stance.version == 2
    history = list(change.history.all())
    assert [h.summary for h in history[:2]] == ["Dublin is weighing it.", "Dublin is weighng it."]
    assert history[0].history_user == editor


def test_a_stale_correction_gets_409_with_the_typed_text(editor_client, question):
    record(question, "IE", "no", "2024-03-05", summary="Dublin says no.", expected_version=1)
    response = editor_client.post(
        url(question), {"summary": "My correction", "version": 1}, headers=HTMX
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "My correction" in body and "Dublin says no." in body
    assert Stance.objects.get(member_state__code="IE").summary == "Dublin says no."


def test_a_too_long_correction_is_refused_inline(editor_client, question):
    response = editor_client.post(
        url(question), {"summary": "y" * 1001, "version": 1}, headers=HTMX
    )
    assert response.status_code == 422
    assert "at most 1000 characters" in response.content.decode()


def test_there_is_nothing_to_correct_without_a_record(editor_client, question):
    response = editor_client.get(reverse("correct_stance", args=[question.slug, "mt"]))
    assert response.status_code == 404


def test_the_timeline_shows_editors_who_corrected_an_entry_and_when(editor_client, question):
    editor_client.post(url(question), {"summary": "Dublin is weighing it.", "version": 1})
    timeline = reverse("country_timeline", args=[question.slug, "ie"])
    body = editor_client.get(timeline, headers=HTMX).content.decode()
    assert "edited" in body and "by editor" in body
