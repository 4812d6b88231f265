"""Whatever the map page keeps between renders (stances/pages/kept_pieces.py: the `{% kept %}`
parts, each member state's pieces, the legend, filters and outcome), each page is the one a
render that keeps nothing writes: a key that left out a value the part shows would give one
page's part to another. The pages follow one another as readers and editors would move them."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from stances.models import MemberState, Position, Question
from stances.pages.kept_pieces import KeptPieces
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question("Recognising the election")
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.")
    record(question, "MT", "yes", "2024-03-02", summary="Valletta agrees.")
    return question


def fresh(monkeypatch, client, path, **options) -> str:
    """The page as a render that keeps nothing writes it."""
    with monkeypatch.context() as patched:
        patched.setattr(KeptPieces, "get", lambda self, key, write: write())
        return body(client, path, **options)


def body(client, path, **options) -> str:
    for cache in caches.all():
        cache.clear()  # a render, not the page cache's copy
    response = client.get(path, **options)
    assert response.status_code == 200
    # The CSRF token is masked anew on each render.
    return re.sub(
        r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"',
        "",
        response.content.decode(),
    )


def test_each_page_equals_a_render_that_keeps_nothing(client, monkeypatch, question):
    for name, change, path, options in walk(question):
        change()
        kept = body(client, path, **options)
        assert kept == fresh(monkeypatch, client, path, **options), name


def walk(question) -> list:
    """(name, a change made first, the address, the request's options) for each step."""
    url = reverse("question", args=[question.slug])
    return [*readings(question, url), *edits(question, url)]


def readings(question, url) -> list:
    nothing = lambda: None  # noqa: E731
    return [
        ("today", nothing, url, {}),
        ("as of a date", nothing, url, {"data": {"as_of": "2024-03-01"}}),
        ("sorted", nothing, url, {"data": {"sort": "-name"}}),
        ("filtered", nothing, url, {"data": {"position": "maybe", "as_of": "2024-03-02"}}),
        ("in German", nothing, f"/de{url}", {}),
        ("another host", nothing, url, {"headers": {"Host": "localhost"}}),
        ("a panel", nothing, reverse("country_timeline", args=[question.slug, "hu"]), {}),
        (
            "the snapshot alone",
            nothing,
            url,
            {"headers": {"HX-Request": "true", "HX-Target": "snapshot"}},
        ),
    ]


def edits(question, url) -> list:
    """Each edit, then a page it shows on; last, pages read before, to be written again."""
    return [
        (
            "a new title",
            lambda: Question.objects.filter(pk=question.pk).update(title="Recognising the vote"),
            url,
            {},
        ),
        (
            "a new record",
            lambda: record(question, "HU", "no", "2024-03-05", summary="Budapest says no."),
            url,
            {},
        ),
        (
            "a relabelled position",
            lambda: Position.objects.filter(question=question, key="no").update(label="Against it"),
            url,
            {},
        ),
        (
            "a renamed member state",
            lambda: MemberState.objects.filter(code="MT").update(name="Republic of Malta"),
            url,
            {},
        ),
        (
            "a new population",
            lambda: MemberState.objects.filter(code="HU").update(population=99_000_000),
            url,
            {},
        ),
        (
            "as of a date again",
            lambda: None,
            url,
            {"data": {"position": "maybe", "as_of": "2024-03-02"}},
        ),
        ("today again", lambda: None, url, {}),
    ]


def test_an_editors_page_equals_one_that_keeps_nothing(editor_client, monkeypatch, question):
    url = reverse("question", args=[question.slug])
    reader = body(editor_client.__class__(), url)  # a reader's first, to be kept
    assert "Sign in" in reader
    editors = body(editor_client, url)
    assert "Sign in" not in editors
    assert editors == fresh(monkeypatch, editor_client, url)
