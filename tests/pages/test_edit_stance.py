"""Editing a stance in place: permissions, validation, saving, and the 409 path."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from stances.models import Source, Stance, StanceChange
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "panel"}
# With the second factor's device looked up once, the question with its scale and the member
# states kept from the form's opening, the stance with its entry in one query, none read again
# after the save (the swapped pieces show them as they are now), a new source's rules checked
# without asking the database, and the panel's changes with their sources in one.
SAVE_QUERIES = 24


@pytest.fixture
def question():
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest is weighing it.")
    return question


def edit_url(question, code="hu"):
    return reverse("edit_stance", args=[question.slug, code])


def entry(question, version=1, **fields):
    data = {
        "position": question.positions.get(key="no").pk,
        "effective_on": "2024-03-16",
        "confidence": "official",
        "summary": "Budapest says no.",
        "version": version,
        "sources-TOTAL_FORMS": "3",
        "sources-INITIAL_FORMS": "0",
        "sources-0-url": "https://www.kormany.hu/statement",
        "sources-0-title": "Statement",
        "sources-0-publisher": "Government of Hungary",
        "sources-0-published_on": "2024-03-16",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_readers_are_sent_to_sign_in(client, question):
    response = client.get(edit_url(question))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_htmx_requests_are_redirected_by_htmx(client, question):
    response = client.post(edit_url(question), entry(question), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert StanceChange.objects.count() == 1


def test_signed_in_readers_who_are_not_editors_get_403(client, question):
    reader = get_user_model().objects.create_user("reader", password="a-reader-password")
    client.force_login(reader)
    assert client.get(edit_url(question)).status_code == 403
    assert client.post(edit_url(question), entry(question)).status_code == 403
    assert StanceChange.objects.count() == 1


def test_an_editor_gets_the_form_with_the_current_version(editor_client, question):
    response = editor_client.get(edit_url(question), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="version" value="1"' in body
    assert "Budapest is weighing it." in body
    assert "<html" not in body


def test_saving_appends_to_the_timeline_and_answers_with_the_updated_map_pieces(
    editor_client, editor, question
):
    response = editor_client.post(edit_url(question), entry(question), headers=HTMX)
    assert response.status_code == 200
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert stance.position.key == "no"
    assert stance.version == 2
    assert stance.changes.count() == 2
    latest = stance.changes.first()
    assert latest.recorded_by == editor
    assert [s.publisher for s in latest.sources.all()] == ["Government of Hungary"]
    body = response.content.decode()
    assert "Saved: Opposes, taken on 16 March 2024." in body
    assert f"by {editor.username}</p>" in body  # the new entry in the panel, for editors
    assert 'id="map-HU" hx-swap-oob="true"' in body
    assert 'id="inset-HU" hx-swap-oob="true"' in body  # its button under the map
    assert 'fill="#D55E00"' in body
    assert 'id="legend" hx-swap-oob="true"' in body
    assert 'id="outcome" hx-swap-oob="true"' in body
    assert 'id="row-HU" hx-swap-oob="true"' in body
    assert "Blocked by Hungary." in body


def test_without_htmx_saving_redirects_to_the_timeline(editor_client, question):
    response = editor_client.post(edit_url(question), entry(question))
    assert response.status_code == 302
    assert response["Location"] == reverse("country_timeline", args=[question.slug, "hu"])


def test_a_first_stance_can_be_recorded_for_a_country_without_one(editor_client, question):
    response = editor_client.post(
        edit_url(question, "mt"), entry(question, version=0), headers=HTMX
    )
    assert response.status_code == 200
    assert Stance.objects.get(question=question, member_state__code="MT").position.key == "no"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"sources-0-url": "javascript:alert(1)"},
            "Enter a web address starting with http:// or https://.",
        ),
        (
            {"sources-0-url": "ftp://example.org/x"},
            "Enter a web address starting with http:// or https://.",
        ),
        # The database takes the scheme in lower case only: refused here, with one message.
        (
            {"sources-0-url": "HTTPS://example.org/x"},
            "Enter a web address starting with http:// or https://.",
        ),
        ({"sources-0-published_on": "1899-12-31"}, "Dates before 1 January 1900"),
        ({"effective_on": "2999-01-01"}, "This date is in the future."),
        ({"effective_on": "1899-12-31"}, "are not accepted"),
        ({"effective_on": "the ides of March"}, "Enter a valid date"),
        ({"effective_on": "2024-02-30"}, "Enter a valid date"),
        ({"summary": "x" * 1001}, "at most 1000 characters"),
        ({"sources-0-title": ""}, "Needed for a source"),
        ({"confidence": "rumour"}, "Select a valid choice"),
        ({"position": "999999"}, "Select a valid choice"),
    ],
)
def test_invalid_input_is_shown_inline_with_422_and_nothing_written(
    editor_client, question, fields, message
):
    response = editor_client.post(edit_url(question), entry(question, **fields), headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count(message) == 1
    assert "Budapest says no." in body or "x" * 1001 in body  # what was typed is kept
    assert StanceChange.objects.count() == 1
    assert Source.objects.count() == 1


def test_a_position_from_another_questions_scale_is_refused(editor_client, question):
    other = make_question()
    fields = {"position": other.positions.get(key="no").pk}
    response = editor_client.post(edit_url(question), entry(question, **fields), headers=HTMX)
    assert response.status_code == 422
    assert StanceChange.objects.count() == 1


def test_a_position_other_than_no_public_position_needs_a_source(editor_client, question):
    data = entry(question, **{f"sources-0-{f}": "" for f in ("url", "title", "publisher")})
    data.pop("sources-0-published_on")
    response = editor_client.post(edit_url(question), data, headers=HTMX)
    assert response.status_code == 422
    assert "needs at least one source" in response.content.decode()
    assert StanceChange.objects.count() == 1


def test_the_form_shows_the_current_record_with_who_recorded_it_also_when_sent_back(
    editor_client, editor, question
):
    record(question, "HU", "yes", "2024-03-10", summary="Budapest agrees.", user=editor)
    opened = editor_client.get(edit_url(question), headers=HTMX).content.decode()
    version = Stance.objects.get(member_state__code="HU").version
    too_long = entry(question, version=version, summary="x" * 5000)
    refused = editor_client.post(edit_url(question), too_long, headers=HTMX)
    assert refused.status_code == 422
    for body in (opened, refused.content.decode()):
        current = body.split('class="current-record"')[1].split("</section>")[0]
        assert "Budapest agrees." in current and "Supports" in current
        assert re.search(r"Recorded\s+\d+ \w+ \d{4}, \d\d:\d\d by\s+editor", current)


def test_no_public_position_may_be_recorded_without_a_source(editor_client, question):
    data = entry(question, position=question.positions.get(key="silent").pk)
    for name in ("url", "title", "publisher", "published_on"):
        data.pop(f"sources-0-{name}")
    response = editor_client.post(edit_url(question), data, headers=HTMX)
    assert response.status_code == 200
    assert Stance.objects.get(member_state__code="HU").position.key == "silent"


def test_kept_sources_count_as_citing(editor_client, question):
    kept = Stance.objects.get(member_state__code="HU").changes.first().sources.first()
    data = entry(question, keep_sources=str(kept.pk))
    for name in ("url", "title", "publisher", "published_on"):
        data.pop(f"sources-0-{name}")
    assert editor_client.post(edit_url(question), data, headers=HTMX).status_code == 200
    latest = Stance.objects.get(member_state__code="HU").changes.first()
    assert list(latest.sources.all()) == [kept]


def test_a_stale_version_gets_409_and_keeps_input(editor_client, question):
    record(question, "HU", "yes", "2024-03-14", summary="Someone else's entry.", expected_version=1)
    response = editor_client.post(
        edit_url(question), entry(question, summary="My unsaved words"), headers=HTMX
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved Hungary" in body
    assert "My unsaved words" in body  # mine, kept
    assert "Someone else&#x27;s entry." in body  # theirs, shown beside it
    assert 'name="version" value="2"' in body  # saving again applies on top of theirs
    assert 'id="map-HU" hx-swap-oob="true"' in body  # the map shows their change
    stance = Stance.objects.get(member_state__code="HU")
    assert stance.position.key == "yes"
    assert stance.changes.count() == 2
    assert Source.objects.count() == 2  # the conflicting save created no source either


def test_saving_again_after_a_conflict_records_on_top(editor_client, question):
    record(question, "HU", "yes", "2024-03-14", expected_version=1)
    editor_client.post(edit_url(question), entry(question), headers=HTMX)
    again = editor_client.post(edit_url(question), entry(question, version=2), headers=HTMX)
    assert again.status_code == 200
    assert Stance.objects.get(member_state__code="HU").position.key == "no"


def test_the_timeline_shows_editors_who_recorded_each_change(editor_client, editor, question):
    editor_client.post(edit_url(question), entry(question), headers=HTMX)
    body = editor_client.get(reverse("country_timeline", args=[question.slug, "hu"])).content
    assert f"by {editor.username}" in body.decode()


def test_readers_do_not_see_who_recorded_changes(client, question, editor_client, editor):
    editor_client.post(edit_url(question), entry(question), headers=HTMX)
    client.logout()
    body = client.get(reverse("country_timeline", args=[question.slug, "hu"])).content.decode()
    assert f"by {editor.username}" not in body
    assert "Record a change" not in body


def test_the_effective_date_defaults_to_nothing_in_the_future(editor_client, question):
    body = editor_client.get(edit_url(question)).content.decode()
    assert f'max="{datetime.date.today().isoformat()}"' in body or "max=" in body


def test_a_save_costs_the_same_queries_whatever_the_history(
    editor_client, question, django_assert_max_num_queries
):
    for day in range(1, 20):
        record(question, "FR", "yes" if day % 2 else "no", f"2024-02-{day:02d}")
    # As an editor saves: the form opened first, which leaves the question, its scale and the
    # member states kept in the process. Then the session and editor, the stance, one change
    # with its source and their history, the alert task and the swapped map pieces: none of it
    # per country or change.
    assert editor_client.get(edit_url(question), headers=HTMX).status_code == 200
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = editor_client.post(edit_url(question), entry(question), headers=HTMX)
    assert response.status_code == 200
