"""Editors confirm that a position still holds; readers see "checked"; stale stances are listed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stances.models import Stance, StanceChange
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db
PANEL = {"HX-Request": "true", "HX-Target": "panel"}


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    record(question, "HU", "no", "2024-03-09")
    return question


def check_url(code="hu"):
    return reverse("check_stance", args=["sanctions", code])


def hungary():
    return Stance.objects.get(member_state__code="HU")


def confirm(client, **fields):
    data = {
        "checked_on": "2024-12-02",
        "source_url": "https://abouthungary.hu/news/still-no",
        "version": hungary().version,
        **fields,
    }
    return client.post(check_url(), data, headers=PANEL)


def test_an_editor_confirms_a_position_still_holds_without_a_new_change(
    editor_client, editor, question
):
    version = hungary().version
    response = confirm(editor_client)
    assert response.status_code == 200
    assert "Confirmed as still current on 2 December 2024." in response.content.decode()
    stance = hungary()
    assert stance.checked_on == datetime.date(2024, 12, 2)
    assert stance.checked_source.url == "https://abouthungary.hu/news/still-no"
    assert stance.checked_source.publisher == "abouthungary.hu"  # filled in from the address
    assert stance.version == version + 1
    assert StanceChange.objects.count() == 1
    assert stance.history.first().history_user == editor


def test_readers_see_checked_in_the_table_and_the_panel(editor_client, client, question):
    confirm(editor_client)
    from django.test import Client

    reader = Client()
    page = reader.get(reverse("question", args=["sanctions"])).content.decode()
    assert 'checked <time datetime="2024-12-02">2 Dec 2024</time>' in page
    panel = reader.get(reverse("country_timeline", args=["sanctions", "hu"])).content.decode()
    assert "Checked as still current on" in panel and "2 December 2024" in panel
    past = reader.get(reverse("question", args=["sanctions"]), {"as_of": "2024-06-01"})
    assert "checked" not in past.content.decode().split('id="table"')[1].split("</table>")[0]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"source_url": ""}, "Give the source"),
        ({"source_url": "javascript:alert(1)"}, "http"),
        # The database takes the scheme in lower case only: refused here, not a 500 there.
        ({"source_url": "HTTPS://abouthungary.hu/news"}, "starting with http:// or https://"),
        ({"checked_on": "2024-03-01"}, "a check comes on or after that day"),
        ({"checked_on": "2999-01-01"}, "future"),
        ({"checked_on": "soon"}, "YYYY-MM-DD"),
    ],
)
def test_a_bad_check_is_refused_with_a_message(editor_client, question, fields, message):
    response = confirm(editor_client, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert hungary().checked_on is None


def test_a_check_on_a_stance_someone_just_saved_is_a_409_that_keeps_the_input(
    editor_client, question
):
    stale = hungary().version
    record(question, "HU", "maybe", "2024-03-20", expected_version=stale)  # as a save does
    response = confirm(editor_client, version=stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved" in body
    assert "https://abouthungary.hu/news/still-no" in body
    assert hungary().checked_on is None


def test_readers_cannot_confirm(client, question):
    response = client.post(check_url(), {"checked_on": "2024-12-02"})
    assert response.status_code in (302, 403)
    assert hungary().checked_on is None


def test_editors_see_the_stances_due_a_check_longest_unseen_first(
    editor_client, question, settings
):
    settings.CHECK_AFTER_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=200)
    StanceChange.objects.update(recorded_at=long_ago)
    record(question, "SK", "no", "2024-03-09")  # recorded today: not due
    closed = make_question(slug="closed", is_open=False)
    record(closed, "PL", "no", "2024-03-09")
    StanceChange.objects.filter(stance__question=closed).update(recorded_at=long_ago)
    response = editor_client.get(reverse("due_checks"))
    assert response.status_code == 200
    due = [item.stance.member_state.code for item in response.context["due"]]
    assert due == ["HU"]
    confirm(editor_client, checked_on=timezone.localdate().isoformat())
    assert editor_client.get(reverse("due_checks")).context["due"] == []


def test_the_list_is_for_editors_only(client, question):
    assert client.get(reverse("due_checks")).status_code in (302, 403)


def test_the_form_offers_today_in_the_form_a_date_field_reads(editor_client, question):
    html = editor_client.get(check_url(), headers=PANEL).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html
