"""The read-only JSON API: what each endpoint returns matches its OpenAPI description."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate

from stances.published import api, openapi
from stances.published.openapi import openapi_document
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.")
    record(question, "HU", "no", "2024-03-09", summary="Budapest says no.")
    record(question, "GR", "yes", "2024-03-05", sources=[make_source(), make_source()])
    return question


def response_schema(path, status="200"):
    """The schema the description gives for a path's response, with its components."""
    document = openapi_document()
    content = document["paths"][path]["get"]["responses"][status]["content"]
    return {**content["application/json"]["schema"], "components": document["components"]}


def assert_matches(response, path, status="200"):
    assert response.status_code == int(status), response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    validator = Draft202012Validator(response_schema(path, status), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return body


def test_the_description_is_valid_openapi_3_1():
    validate(openapi_document())


def test_the_description_is_served_at_a_stable_url(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["openapi"] == "3.1.0"
    validate(body)


def test_every_described_path_is_served(client, question):
    for path in openapi_document()["paths"]:
        concrete = path.replace("{slug}", question.slug).replace("{code}", "gr")
        assert client.get(concrete).status_code == 200, path


def test_questions(client, question):
    make_question(published=False, title="A draft")
    body = assert_matches(client.get("/api/questions"), "/api/questions")
    assert [q["slug"] for q in body["questions"]] == ["sanctions"]
    assert body["questions"][0]["api_url"] == "http://testserver/api/questions/sanctions"


def test_a_question_with_its_scale(client, question):
    body = assert_matches(client.get("/api/questions/sanctions"), "/api/questions/{slug}")
    assert [p["key"] for p in body["positions"]] == ["yes", "maybe", "no", "silent"]
    assert body["positions"][0]["vote"] == "for"


def test_stances_today(client, question):
    response = client.get("/api/questions/sanctions/stances")
    body = assert_matches(response, "/api/questions/{slug}/stances")
    assert len(body["stances"]) == 27
    hungary = next(s for s in body["stances"] if s["member_state"]["code"] == "HU")
    assert hungary["position"]["key"] == "no"
    assert hungary["since"] == "2024-03-09"
    assert hungary["timeline_url"] == "http://testserver/questions/sanctions/countries/hu/"
    greece = next(s for s in body["stances"] if s["member_state"]["code"] == "GR")
    assert greece["member_state"]["eu_code"] == "EL"
    assert len(greece["sources"]) == 2


def test_stances_as_of_a_date(client, question):
    response = client.get("/api/questions/sanctions/stances", {"as_of": "2024-03-02"})
    body = assert_matches(response, "/api/questions/{slug}/stances")
    assert body["as_of"] == "2024-03-02"
    positions = {s["member_state"]["code"]: s["position"] for s in body["stances"]}
    assert positions["HU"]["key"] == "maybe"
    assert positions["GR"] is None


def test_a_stance_with_nothing_recorded_has_the_same_fields_as_one_with(client, question):
    body = json.loads(client.get("/api/questions/sanctions/stances").content)
    by_code = {s["member_state"]["code"]: s for s in body["stances"]}
    assert list(by_code["DE"]) == list(by_code["HU"])
    assert by_code["DE"]["summary"] is by_code["DE"]["since"] is None


@pytest.mark.parametrize("as_of", ["2024-02-30", "1899-12-31", "2999-01-01", "soon"])
def test_a_bad_as_of_is_a_400_described_as_an_error(client, question, as_of):
    response = client.get("/api/questions/sanctions/stances", {"as_of": as_of})
    assert_matches(response, "/api/questions/{slug}/stances", "400")


@pytest.mark.parametrize("path", ["/api/questions/{slug}", "/api/questions/{slug}/stances"])
def test_a_draft_or_unknown_question_is_a_404_described_as_an_error(client, path):
    draft = make_question(published=False)
    for slug in [draft.slug, "no-such-question"]:
        assert_matches(client.get(path.replace("{slug}", slug)), path, "404")


def test_member_states(client, question):
    body = assert_matches(client.get("/api/member-states"), "/api/member-states")
    assert len(body["member_states"]) == 27


@pytest.mark.parametrize("code", ["gr", "GR", "el", "EL"])
def test_a_member_state_by_iso_or_eu_code(client, question, code):
    response = client.get(f"/api/member-states/{code}")
    body = assert_matches(response, "/api/member-states/{code}")
    assert (body["code"], body["eu_code"]) == ("GR", "EL")
    assert body["stances"][0]["question"]["slug"] == "sanctions"
    assert body["stances"][0]["position"]["key"] == "yes"


def test_a_member_state_without_a_stance_has_nulls(client, question):
    body = assert_matches(client.get("/api/member-states/mt"), "/api/member-states/{code}")
    assert body["stances"][0]["position"] is None


@pytest.mark.parametrize("code", ["xx", "grc", "%00", "%C3%A9", "g"])
def test_an_unknown_member_state_is_a_404(client, code):
    response = client.get(f"/api/member-states/{code}")
    assert_matches(response, "/api/member-states/{code}", "404")


def test_changes_since_a_date(client, question):
    response = client.get("/api/changes", {"since": "2024-03-05"})
    body = assert_matches(response, "/api/changes")
    assert body["count"] == 2
    assert [(c["member_state"]["code"], c["effective_on"]) for c in body["changes"]] == [
        ("GR", "2024-03-05"),
        ("HU", "2024-03-09"),
    ]
    assert body["next"] is None


def test_changes_of_draft_questions_are_not_listed(client, question):
    draft = make_question(published=False)
    record(draft, "FR", "yes", "2024-03-06")
    body = json.loads(client.get("/api/changes").content)
    assert {c["question"]["slug"] for c in body["changes"]} == {"sanctions"}


def test_changes_come_in_pages_with_links(client, question, monkeypatch):
    monkeypatch.setattr(api, "CHANGES_PER_PAGE", 2)
    first = assert_matches(client.get("/api/changes", {"since": "2024-03-01"}), "/api/changes")
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    assert first["next"] == "http://testserver/api/changes?since=2024-03-01&page=2"
    second = assert_matches(client.get(first["next"]), "/api/changes")
    assert len(second["changes"]) == 1
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/changes?since=2024-03-01&page=1"


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.5"])
def test_a_bad_page_number_is_a_400(client, question, page):
    assert_matches(client.get("/api/changes", {"page": page}), "/api/changes", "400")


def test_a_page_past_the_end_is_a_404(client, question):
    assert_matches(client.get("/api/changes", {"page": "9"}), "/api/changes", "404")


def test_the_page_size_is_bounded():
    assert api.CHANGES_PER_PAGE <= 100


# Caching


@pytest.mark.parametrize("path", ["/api/questions", "/api/changes", "/api/openapi.json"])
def test_responses_are_public_for_a_cdn_for_a_minute_and_revalidate_by_etag(client, question, path):
    response = client.get(path)
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    again = client.get(path, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_any_site_may_read_the_api_from_a_browser(client, question):
    assert client.get("/api/questions")["Access-Control-Allow-Origin"] == "*"


def test_a_change_gives_a_new_etag(client, question):
    etag = client.get("/api/questions/sanctions/stances")["ETag"]
    record(question, "MT", "yes", "2024-03-10")
    response = client.get("/api/questions/sanctions/stances", headers={"If-None-Match": etag})
    assert response.status_code == 200


def test_errors_are_not_cached_publicly(client, question):
    response = client.get("/api/questions/nothing")
    assert "public" not in response.get("Cache-Control", "")


# Queries


# Each count includes reading the revision, which the page cache keys on (on PostgreSQL in
# production it is known from memory: see test_revisions.py).
@pytest.mark.parametrize(
    "path, most",
    [
        ("/api/questions/sanctions/stances", 5),
        ("/api/changes", 4),
        ("/api/member-states/hu", 4),
        ("/api/questions", 2),
        ("/api/questions/sanctions", 3),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_history(
    client, question, path, most, django_assert_max_num_queries
):
    for day in range(10, 20):
        for code in ["DE", "FR", "IT", "HU"]:
            record(question, code, "yes" if day % 2 else "no", f"2024-03-{day}")
    with django_assert_max_num_queries(most):
        assert client.get(path).status_code == 200


def test_the_documented_headers_are_the_ones_sent(client, question):
    document = openapi_document()
    for path, sample in [
        ("/api/questions", "/api/questions"),
        ("/api/questions/{slug}", f"/api/questions/{question.slug}"),
        ("/api/changes", "/api/changes"),
    ]:
        documented = document["paths"][path]["get"]["responses"]["200"]["headers"]
        response = client.get(sample)
        for header, description in documented.items():
            assert header in response, (path, header)
            if "const" in description["schema"]:
                assert response[header] == description["schema"]["const"], (path, header)


@pytest.mark.parametrize(
    "query",
    ["as_of=", "as_of=%20", "as_of=2024-W12-1", "as_of=20240318", "as_of=18/03/2024"],
)
def test_only_whole_iso_dates_are_accepted(client, question, query):
    response = client.get(f"/api/questions/{question.slug}/stances?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "YYYY-MM-DD" in json.loads(response.content)["error"]


def test_empty_dates_are_refused_everywhere_in_the_api(client, question):
    for url in ["/api/changes?since=", f"/api/questions/{question.slug}/compare?from="]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "is empty" in json.loads(response.content)["error"]


def test_an_unknown_api_address_is_a_json_404(client):
    for url in ["/api/nothing", "/api/questions/a/b/c"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert "nothing at this address" in json.loads(response.content)["error"]
    assert "text/html" in client.get("/no-such-page/")["Content-Type"]


@given(day=st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
@settings(max_examples=300)
def test_date_parameters_name_exactly_the_days_from_1900_to_today(day):
    """schemathesis found 0424-08-06 schema-valid yet refused: the pattern now says which days."""
    today = datetime.date(2026, 12, 3)
    covered = re.fullmatch(openapi.days_up_to(today), day.isoformat()) is not None
    assert covered == (datetime.date(1900, 1, 1) <= day <= today)


def test_the_served_date_parameters_end_today(client):
    document = json.loads(client.get("/api/openapi.json").content)
    schema = document["paths"]["/api/changes"]["get"]["parameters"][0]["schema"]
    today = timezone.localdate()
    assert re.fullmatch(schema["pattern"], today.isoformat())
    assert not re.fullmatch(schema["pattern"], (today + datetime.timedelta(days=1)).isoformat())


def test_the_largest_documented_page_is_a_404_not_a_400(client):
    """schemathesis found page=22473645870 schema-valid yet refused: the maximum is documented."""
    schema = openapi_document()["paths"]["/api/changes"]["get"]["parameters"][1]["schema"]
    response = client.get(f"/api/changes?page={schema['maximum']}")
    assert response.status_code == 404
    assert client.get(f"/api/changes?page={schema['maximum'] + 1}").status_code == 400
