"""The admin as editors and admins use it: permissions, recording, validation, conflicts."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from stances.models import MemberState, Question, Source, Stance, StanceChange
from tests.admin_forms import admin_post_data
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01")
    return question


def stance_url(question, code):
    stance = Stance.objects.get(question=question, member_state__code=code)
    return reverse("admin:stances_stance_change", args=[stance.pk])


def test_an_editor_records_a_change_to_a_stance_in_the_admin(editor_client, editor, question):
    url = stance_url(question, "HU")
    source = make_source()
    page = editor_client.get(url)
    data = admin_post_data(
        page,
        new_position=question.positions.get(key="no").pk,
        new_effective_on="2024-03-16",
        new_summary="Budapest will not recognise it.",
        new_confidence="official",
        new_sources=[str(source.pk)],
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert stance.position.key == "no"
    assert stance.summary == "Budapest will not recognise it."
    latest = stance.changes.first()
    assert latest.recorded_by == editor
    assert list(latest.sources.all()) == [source]


def test_a_position_other_than_no_public_position_needs_a_source(editor_client, question):
    url = stance_url(question, "HU")
    data = admin_post_data(
        editor_client.get(url),
        new_position=question.positions.get(key="no").pk,
        new_effective_on="2024-03-16",
        new_confidence="reported",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "needs at least one source" in response.content.decode()
    assert StanceChange.objects.count() == 1


def test_a_position_from_another_questions_scale_is_refused(editor_client, question):
    other = make_question()
    url = reverse("admin:stances_stance_add")
    data = {
        "question": question.pk,
        "member_state": MemberState.objects.get(code="AT").pk,
        "new_position": other.positions.get(key="silent").pk,
        "new_effective_on": "2024-03-10",
        "new_confidence": "reported",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "belongs to another question" in response.content.decode()
    assert not Stance.objects.filter(member_state__code="AT").exists()


def test_a_duplicate_stance_is_refused_with_a_clear_message(editor_client, question):
    data = {
        "question": question.pk,
        "member_state": MemberState.objects.get(code="HU").pk,
        "new_position": question.positions.get(key="silent").pk,
        "new_effective_on": "2024-03-10",
        "new_confidence": "reported",
    }
    response = editor_client.post(reverse("admin:stances_stance_add"), data)
    assert response.status_code == 200
    assert "already has a stance on this question" in response.content.decode()
    assert Stance.objects.filter(member_state__code="HU").count() == 1


def test_a_javascript_source_address_is_refused_and_nothing_written(editor_client):
    data = {"url": "javascript:alert(document.cookie)", "title": "T", "publisher": "P"}
    response = editor_client.post(reverse("admin:stances_source_add"), data)
    assert response.status_code == 200
    assert "http:// or https://" in response.content.decode()
    assert not Source.objects.exists()


def test_a_save_on_top_of_someone_elses_is_refused_and_keeps_the_input(editor_client, question):
    url = stance_url(question, "HU")
    page = editor_client.get(url)  # the editor opens the form at version 1...
    record(question, "HU", "yes", "2024-03-12", expected_version=1)  # ...someone saves first
    source = make_source()
    data = admin_post_data(
        page,
        new_position=question.positions.get(key="no").pk,
        new_effective_on="2024-03-16",
        new_summary="My unsaved summary",
        new_confidence="official",
        new_sources=[str(source.pk)],
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this stance" in body
    assert "My unsaved summary" in body
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert stance.position.key == "yes"
    # Saving again, deliberately, records the entry on top of theirs.
    again = editor_client.post(url, admin_post_data(response))
    assert again.status_code == 302
    stance.refresh_from_db()
    assert stance.position.key == "no"


def test_an_editor_cannot_manage_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_an_editor_can_see_but_not_change_member_states(editor_client):
    hungary = MemberState.objects.get(code="HU")
    url = reverse("admin:stances_memberstate_change", args=[hungary.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"population": "1", "name": "Hungary"})
    assert response.status_code == 403
    hungary.refresh_from_db()
    assert hungary.population == 9_584_600


def test_an_editor_cannot_delete_timeline_entries(editor_client, question):
    change = StanceChange.objects.first()
    url = reverse("admin:stances_stancechange_delete", args=[change.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert StanceChange.objects.filter(pk=change.pk).exists()


def test_correcting_an_entrys_date_in_the_admin_moves_the_stance_with_it(editor_client, question):
    record(question, "HU", "no", "2024-03-05", expected_version=1)
    first = StanceChange.objects.get(stance__member_state__code="HU", position__key="maybe")
    url = reverse("admin:stances_stancechange_change", args=[first.pk])
    response = editor_client.post(
        url, admin_post_data(editor_client.get(url), effective_on="2024-03-09")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert (stance.position.key, stance.since, stance.version) == ("maybe", date(2024, 3, 9), 3)


def test_a_correction_on_top_of_someone_elses_save_is_refused(editor_client, question):
    first = StanceChange.objects.get(stance__member_state__code="HU")
    url = reverse("admin:stances_stancechange_change", args=[first.pk])
    page = editor_client.get(url)
    record(question, "HU", "no", "2024-03-05", expected_version=1)
    response = editor_client.post(url, admin_post_data(page, summary="My correction"))
    assert response.status_code == 200
    assert "Someone else saved this stance" in response.content.decode()
    assert StanceChange.objects.get(pk=first.pk).summary == ""


def test_an_admin_deleting_the_current_entry_brings_back_the_previous_one(admin_client, question):
    latest = record(question, "HU", "no", "2024-03-05", expected_version=1)
    url = reverse("admin:stances_stancechange_delete", args=[latest.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert (stance.position.key, stance.version) == ("maybe", 3)


def test_an_admin_can_update_a_population(admin_client):
    hungary = MemberState.objects.get(code="HU")
    url = reverse("admin:stances_memberstate_change", args=[hungary.pk])
    data = admin_post_data(admin_client.get(url), population="9600000", population_year="2025")
    response = admin_client.post(url, data)
    assert response.status_code == 302
    hungary.refresh_from_db()
    assert hungary.population == 9_600_000
    assert hungary.history.first().history_user == get_user_model().objects.get(username="admin")


@pytest.mark.parametrize(
    "name",
    ["stance", "stancechange", "source", "question", "position", "memberstate"],
)
def test_every_admin_list_is_searchable_and_opens_for_an_editor(editor_client, question, name):
    response = editor_client.get(reverse(f"admin:stances_{name}_changelist"), {"q": "Hungary"})
    assert response.status_code == 200


def test_a_question_cannot_be_published_without_a_scale(admin_client):
    data = {
        "title": "A new question",
        "slug": "a-new-question",
        "proposal": "Something",
        "opened_on": "2024-03-01",
        "is_open": "on",
        "is_published": "on",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:stances_question_add"), data)
    assert response.status_code == 200
    assert "needs a scale of at least two positions" in response.content.decode()
    assert not Question.objects.filter(slug="a-new-question").exists()
