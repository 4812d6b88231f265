"""The map page's legend, filter chips and Council outcome are kept by exactly what they show:
an edit that moves no vote and no count, or an edit to another question (which moves the
revision of every page), writes none of them again; each follows every value it shows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stances.models import MemberState, Position, Question
from stances.pages import council_outcome, markup
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.")
    record(question, "MT", "yes", "2024-03-02", summary="Valletta agrees.")
    return question


@pytest.fixture
def written(monkeypatch):
    """Which of the parts were written, not given as kept."""
    written = []
    for module, name in (
        (markup, "_legend"),
        (markup, "_filters"),
        (council_outcome, "_outcome_section"),
    ):
        write = getattr(module, name)

        def counted(*args, name=name, write=write):
            written.append(name)
            return write(*args)

        monkeypatch.setattr(module, name, counted)
    return written


def page(client, question, **query) -> str:
    response = client.get(reverse("question", args=[question.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def part(body: str, start: str, end: str) -> str:
    at = body.index(start)
    return body[at : body.index(end, at)]


def legend(body):
    return part(body, 'id="legend"', "</section>")


def chips(body):
    return part(body, 'id="filters"', "</nav>")


def outcome(body):
    return part(body, 'id="outcome"', "</section>")


def test_an_edit_that_moves_no_vote_writes_none_of_them_again(client, question, written):
    page(client, question)
    written.clear()
    record(question, "HU", "maybe", "2024-03-05", summary="Budapest still hesitates.")
    body = page(client, question)
    assert "Budapest still hesitates." in body
    assert written == []
    record(question, "HU", "yes", "2024-03-06", summary="Budapest agrees.")
    body = page(client, question)
    assert sorted(written) == ["_filters", "_legend", "_outcome_section"]
    assert 'data-count="yes">2<' in legend(body)


def test_an_edit_to_another_question_writes_none_of_them_again(client, question, written):
    other = make_question()
    page(client, question)
    written.clear()
    record(other, "FR", "no", "2024-03-05")
    page(client, question)
    assert written == []


def test_each_follows_every_value_it_shows(client, question):
    body = page(client, question)
    assert 'data-count="maybe">1<' in legend(body) and "Undecided (1)" in chips(body)
    Position.objects.filter(question=question, key="maybe").update(label="Hesitant")
    body = page(client, question)
    assert "Hesitant" in legend(body) and "Hesitant (1)" in chips(body)
    assert "Hesitant" in outcome(body)  # how each position counts, under the method
    Position.objects.filter(question=question, key="maybe").update(colour="#123456")
    assert 'fill="#123456"' in legend(page(client, question))
    Position.objects.filter(question=question, key="maybe").update(vote="against")
    body = page(client, question)
    assert "counts as against" in legend(body)
    assert "Blocked by Hungary" in outcome(body)
    MemberState.objects.filter(code="HU").update(name="Magyarország")
    assert "Blocked by Magyarország" in outcome(page(client, question))
    Question.objects.filter(pk=question.pk).update(proposal="A corrected proposal")
    assert "A corrected proposal" in outcome(page(client, question))
    before = outcome(page(client, question))
    MemberState.objects.filter(code="HU").update(population=99_000_000)
    assert outcome(page(client, question)) != before  # the shares of the population
    MemberState.objects.filter(code="MT").update(population_source="Corrected census")
    assert "Corrected census" in outcome(page(client, question))


def test_the_date_the_address_and_the_language_are_part_of_what_they_show(client, question):
    assert "If the Council voted today" in outcome(page(client, question))
    today = timezone.localdate()
    as_of_today = outcome(page(client, question, as_of=today.isoformat()))
    assert f"If the Council had voted on {today.day} {today:%B %Y}" in as_of_today
    dated = page(client, question, as_of="2024-03-01")
    assert "If the Council had voted on 1 March 2024" in outcome(dated)
    assert 'data-count="yes">0<' in legend(dated)
    assert "?as_of=2024-03-01&amp;position=maybe" in chips(dated)
    assert "?as_of=2024-03-01&amp;position=maybe" in legend(dated)
    sorted_page = page(client, question, sort="name")
    assert "?sort=name&amp;position=maybe" in chips(sorted_page)
    assert 'aria-current="true">All' in chips(sorted_page)
    filtered = chips(page(client, question, position="maybe"))
    assert 'hx-get="?position=maybe" aria-current="true">Undecided (1)' in filtered
    assert 'hx-get="?">All</a>' in filtered
    german = client.get(f"/de{reverse('question', args=[question.slug])}").content.decode()
    assert "Wenn der Rat heute abstimmte" in outcome(german)
    assert "zählt als dafür" in legend(german)
    assert "If the Council voted today" in outcome(page(client, question))
