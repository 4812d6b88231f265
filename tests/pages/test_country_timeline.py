"""A country's timeline on a question: a side panel with its own URL, and a full page."""

import pytest
from django.urls import reverse

from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question()
    record(
        question,
        "MT",
        "maybe",
        "2024-03-01",
        summary="Valletta is weighing it.",
        sources=[make_source(publisher="Times of Malta", quote="We are weighing it.")],
    )
    record(question, "MT", "no", "2024-03-09", summary="Valletta says no.")
    return question


def url(question, code="mt"):
    return reverse("country_timeline", args=[question.slug, code])


def test_the_timeline_lists_every_change_newest_first_with_sources(client, question):
    body = client.get(url(question)).content.decode()
    assert body.index("Valletta says no.") < body.index("Valletta is weighing it.")
    assert "Times of Malta" in body
    assert "We are weighing it." in body
    assert "Reported" in body


def test_the_timeline_url_works_as_a_full_page_with_the_map(client, question):
    body = client.get(url(question)).content.decode()
    assert "<html" in body
    assert 'id="map-MT"' in body
    assert 'id="panel-heading"' in body


def test_htmx_gets_only_the_panel(client, question):
    response = client.get(url(question), headers={"HX-Request": "true", "HX-Target": "panel"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="panel-heading"' in body
    assert 'id="map-MT"' not in body


def test_as_of_marks_the_changes_that_came_later(client, question):
    body = client.get(url(question), {"as_of": "2024-03-05"}).content.decode()
    assert "(after 5 Mar 2024)" in body


@pytest.mark.parametrize("code", ["xx", "mlt", "<script>"])
def test_an_unknown_country_is_a_404(client, question, code):
    assert client.get(f"/questions/{question.slug}/countries/{code}/").status_code == 404


def test_the_timeline_page_uses_at_most_five_queries(
    client, question, django_assert_max_num_queries
):
    for day in range(10, 28):
        record(question, "MT", "yes" if day % 2 else "no", f"2024-03-{day}")
    # The revision, the question with its history, the member states, the timeline's entries
    # as keys and dates, the changes in force with the listed entries and all their sources.
    with django_assert_max_num_queries(5):
        assert client.get(url(question)).status_code == 200
    with django_assert_max_num_queries(5):
        response = client.get(url(question), headers={"HX-Request": "true", "HX-Target": "panel"})
        assert response.status_code == 200
