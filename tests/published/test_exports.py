"""CSV and JSON downloads of a question, as of a date and in full."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from stances import csvcodec
from stances.models import MemberState
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.")
    record(question, "HU", "no", "2024-03-09", summary="Budapest says no.")
    record(
        question,
        "CZ",
        "yes",
        "2024-03-05",
        summary="Prague agrees.",
        sources=[make_source(publisher="ČTK", title="Praha souhlasí")],
    )
    return question


def url(question, name="question_export_csv"):
    return reverse(name, args=[question.slug])


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def by_code(rows):
    return {row["code"]: row for row in rows}


def test_the_csv_has_one_row_per_member_state(client, question):
    rows = csv_rows(client.get(url(question)))
    assert len(rows) == 27
    hungary = by_code(rows)["HU"]
    assert hungary["position"] == "no"
    assert hungary["position_label"] == "Opposes"
    assert hungary["vote"] == "against"
    assert hungary["effective_on"] == "2024-03-09"
    assert hungary["summary"] == "Budapest says no."
    assert hungary["confidence"] == "reported"
    assert hungary["source_url"].startswith("https://")
    assert hungary["source_publisher"] == "Example News"


def test_greece_has_its_iso_and_eu_codes(client, question):
    greece = by_code(csv_rows(client.get(url(question))))["GR"]
    assert greece["eu_code"] == "EL"
    assert greece["position"] == ""


def test_the_csv_is_a_utf8_attachment_named_after_the_question_and_date(client, question):
    response = client.get(url(question), {"as_of": "2024-03-06"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sanctions-2024-03-06.csv"'


def test_without_a_date_the_file_is_named_after_today(client, question):
    today = datetime.date.today().isoformat()
    response = client.get(url(question, "question_export_json"))
    assert response["Content-Disposition"] == f'attachment; filename="sanctions-{today}.json"'


def test_as_of_gives_the_positions_held_on_that_date(client, question):
    hungary = by_code(csv_rows(client.get(url(question), {"as_of": "2024-03-06"})))["HU"]
    assert hungary["position"] == "maybe"
    assert hungary["summary"] == "Budapest hesitates."


def test_before_any_record_a_member_state_has_empty_cells(client, question):
    czechia = by_code(csv_rows(client.get(url(question), {"as_of": "2024-03-02"})))["CZ"]
    assert czechia["position"] == czechia["effective_on"] == czechia["source_url"] == ""


def test_since_is_when_the_current_position_was_first_taken(client, question):
    record(question, "HU", "no", "2024-03-12", summary="Budapest repeats no.")
    hungary = by_code(csv_rows(client.get(url(question))))["HU"]
    assert (hungary["effective_on"], hungary["since"]) == ("2024-03-12", "2024-03-09")


def test_names_with_diacritics_survive_in_csv_and_json(client, question):
    MemberState.objects.filter(code="CZ").update(name="Česko")
    czechia = by_code(csv_rows(client.get(url(question))))["CZ"]
    assert czechia["member_state"] == "Česko"
    assert czechia["source_publisher"] == "ČTK"
    body = json.loads(client.get(url(question, "question_export_json")).content)
    assert {row["code"]: row for row in body["stances"]}["CZ"]["member_state"] == "Česko"


def test_the_csv_starts_with_a_byte_order_mark_for_excel(client, question):
    assert client.get(url(question)).content.startswith("\ufeff".encode())


def test_the_json_has_the_same_rows_with_raw_values(client, question):
    response = client.get(url(question, "question_export_json"), {"as_of": "2024-03-06"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "sanctions-2024-03-06.json" in response["Content-Disposition"]
    body = json.loads(response.content)
    assert body["question"] == "sanctions"
    assert body["as_of"] == "2024-03-06"
    hungary = {row["code"]: row for row in body["stances"]}["HU"]
    assert hungary["position"] == "maybe"
    assert set(hungary) == set(csvcodec.STANCE_COLUMNS)
    assert hungary["membership"] == "member"
    assert {row["code"]: row for row in body["stances"]}["GR"]["position"] is None


def test_a_member_state_with_nothing_recorded_has_every_column_in_the_same_order(client, question):
    body = json.loads(client.get(url(question, "question_export_json")).content)
    rows = {row["code"]: row for row in body["stances"]}
    assert list(rows["GR"]) == list(rows["HU"])
    assert set(rows["GR"]) == set(csvcodec.STANCE_COLUMNS)


@pytest.mark.parametrize(
    "as_of, message",
    [
        ("2024-13-01", "YYYY-MM-DD"),
        ("nonsense", "YYYY-MM-DD"),
        ("1899-12-31", "before 1 January 1900"),
        ("2999-01-01", "future"),
    ],
)
def test_a_bad_date_is_a_400_with_a_clear_message(client, question, as_of, message):
    response = client.get(url(question), {"as_of": as_of})
    assert response.status_code == 400
    assert message in response.content.decode()
    response = client.get(url(question, "question_export_json"), {"as_of": as_of})
    assert response.status_code == 400
    assert message in json.loads(response.content)["error"]


def test_a_draft_question_cannot_be_downloaded(client):
    draft = make_question(published=False)
    for name in ["question_export_csv", "question_timeline_json"]:
        assert client.get(url(draft, name)).status_code == 404


# Formula injection


@pytest.mark.parametrize("summary", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_a_spreadsheet_would_run_are_quoted_in_csv(client, question, summary):
    record(question, "HU", "no", "2024-03-10", summary=summary)
    hungary = by_code(csv_rows(client.get(url(question))))["HU"]
    assert hungary["summary"] == "'" + summary


def test_json_keeps_the_value_as_written(client, question):
    record(question, "HU", "no", "2024-03-10", summary='=HYPERLINK("http://evil.example")')
    body = json.loads(client.get(url(question, "question_export_json")).content)
    hungary = {row["code"]: row for row in body["stances"]}["HU"]
    assert hungary["summary"] == '=HYPERLINK("http://evil.example")'


# Full timeline


def test_the_timeline_csv_has_a_row_per_change_and_source(client, question):
    two = [make_source(title="One"), make_source(title="Two")]
    record(question, "DE", "yes", "2024-03-02", sources=two)
    response = client.get(url(question, "question_timeline_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "sanctions-timeline-" in response["Content-Disposition"]
    rows = csv_rows(response)
    # In the EU's protocol order, then oldest first.
    assert [(r["code"], r["position"]) for r in rows] == [
        ("CZ", "yes"),
        ("DE", "yes"),
        ("DE", "yes"),
        ("HU", "maybe"),
        ("HU", "no"),
    ]
    assert {r["source_title"] for r in rows if r["code"] == "DE"} == {"One", "Two"}


def test_the_timeline_json_nests_the_sources_of_each_change(client, question):
    record(question, "DE", "yes", "2024-03-02", sources=[make_source(), make_source()])
    response = client.get(url(question, "question_timeline_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    changes = json.loads(response.content)["changes"]
    assert [c["code"] for c in changes] == ["CZ", "DE", "HU", "HU"]
    assert len(changes[1]["sources"]) == 2
    assert set(changes[1]["sources"][0]) == {
        "url",
        "title",
        "publisher",
        "published_on",
        "speaker",
        "quote",
    }


def test_a_json_download_puts_each_entry_on_a_line_of_its_own(client, question):
    # Readable in an editor without being indented throughout (see readable_json).
    response = client.get(url(question, "question_timeline_json"))
    text = response.content.decode()
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert lines[1] == ' "question": "sanctions",'
    entries = [line for line in lines if line.startswith('  {"')]
    assert len(entries) == 3  # CZ, HU, HU: one line each
    assert '"Prague agrees."' in entries[0] and "Praha souhlasí" in entries[0]  # not escaped
    assert json.loads(text)["changes"][0]["summary"] == "Prague agrees."


def test_a_change_without_sources_still_has_its_row(client, question):
    record(question, "FR", "silent", "2024-03-02", sources=[])
    rows = csv_rows(client.get(url(question, "question_timeline_csv")))
    france = [r for r in rows if r["code"] == "FR"]
    assert len(france) == 1 and france[0]["source_url"] == ""


# Caching


def test_downloads_are_public_for_a_cdn_for_a_minute_with_an_etag(client, question):
    response = client.get(url(question))
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert response["ETag"]


def test_the_same_etag_gets_a_304(client, question):
    etag = client.get(url(question))["ETag"]
    response = client.get(url(question), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_a_new_change_changes_the_etag(client, question):
    etag = client.get(url(question))["ETag"]
    record(question, "HU", "yes", "2024-03-10")
    response = client.get(url(question), headers={"If-None-Match": etag})
    assert response.status_code == 200


# Queries


@pytest.mark.parametrize("name", ["question_export_csv", "question_timeline_csv"])
def test_the_number_of_queries_does_not_grow_with_the_history(
    client, question, name, django_assert_max_num_queries
):
    for day in range(10, 20):
        for code in ["DE", "FR", "IT"]:
            record(question, code, "yes" if day % 2 else "no", f"2024-03-{day}")
    with django_assert_max_num_queries(5):  # the revision, the question and its scale, the data
        assert client.get(url(question, name)).status_code == 200
