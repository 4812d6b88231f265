"""What the read-only addresses answer to anything but GET and HEAD: 405 with Allow, OPTIONS
without a body; JSON under /api/. Never the page, never Django's CSRF page."""

import json

import pytest

from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def paths():
    question = make_question(slug="q")
    record(question, "HU", "yes", "2024-03-18")
    return [
        "/",
        "/questions/q/",
        "/questions/q/countries/hu/",
        "/questions/q/embed/",
        "/questions/q/map.svg",
        "/questions/q/share.png",
        "/questions/q/export.csv",
        "/questions/q/changes.atom",
        "/countries/hu/",
        "/about/",
        "/api/questions",
        "/api/questions/q",
        "/api/openapi.json",
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_writes_are_refused_with_405_and_allow(client, paths, method):
    for path in paths:
        response = client.generic(method.upper(), path)
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        if path.startswith("/api/"):
            assert response["Content-Type"] == "application/json"
            assert "the API only reads" in json.loads(response.content)["error"]
        else:
            assert response.content.decode().endswith("this address only reads.")


def test_options_says_what_is_allowed_without_a_body(client, paths):
    for path in paths:
        response = client.options(path)
        assert (response.status_code, response.content) == (204, b""), path
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_get_and_head_still_read(client, paths):
    for path in paths:
        assert client.get(path).status_code == 200, path
        assert client.head(path).status_code == 200, path


def test_a_post_with_csrf_checks_on_is_still_a_405(paths):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/api/questions").status_code == 405
    assert strict.post("/").status_code == 405
