"""What frames the records (member states, a question and its scale, their translations) is
read once per process until an editor writes one of them: a stance's edit does not make the
next page read them again, and any edit of them shows on the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stances.models import MemberState, Position, QuestionTranslation, Revision
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db

MEMBER_STATES_READ = 'FROM "stances_memberstate"'
SCALE_READ = 'FROM "stances_position"'


@pytest.fixture
def question():
    question = make_question("Recognising the election")
    record(question, "FR", "yes", "2024-03-01")
    return question


def reads(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries]


def test_a_stances_edit_moves_the_revision_not_the_reference(question):
    before = Revision.current()
    record(question, "HU", "no", "2024-03-02")
    after = Revision.current()
    assert after.number > before.number
    assert after.reference_tag == before.reference_tag


@pytest.mark.parametrize(
    "edit",
    [
        lambda question: MemberState.objects.filter(code="MT").update(population=600_000),
        lambda question: question.positions.filter(key="no").update(label="Refuses"),
        lambda question: type(question).objects.filter(pk=question.pk).update(title="New title"),
        lambda question: QuestionTranslation.objects.create(
            question=question, language="fr", title="Reconnaître l’élection"
        ),
    ],
    ids=["member state", "position", "question", "translation"],
)
def test_an_edit_of_what_frames_the_records_moves_both(question, edit):
    before = Revision.current()
    edit(question)
    after = Revision.current()
    assert after.number > before.number
    assert after.reference_number == after.number
    assert after.reference_tag != before.reference_tag


def test_after_a_stances_edit_the_page_reads_only_the_records(client, question):
    url = f"/questions/{question.slug}/"
    _, first = reads(client, url)
    assert any(MEMBER_STATES_READ in sql for sql in first)
    record(question, "HU", "no", "2024-03-02", summary="Budapest says no.")
    body, after_edit = reads(client, url)
    assert "Budapest says no." in body
    # The history is read afresh: the step back goes to the new change's day.
    assert 'href="?as_of=2024-03-02" hx-get="?as_of=2024-03-02" data-previous-change' in body
    assert not any(MEMBER_STATES_READ in sql for sql in after_edit)
    assert not any(SCALE_READ in sql for sql in after_edit)
    assert len(after_edit) < len(first)


def test_the_next_page_shows_a_member_states_edit(client, question):
    url = f"/questions/{question.slug}/"
    client.get(url)
    hungary = MemberState.objects.get(code="HU")
    hungary.capital, hungary.population = "Budapest", 1
    hungary.save()
    _, queries = reads(client, url)
    assert any(MEMBER_STATES_READ in sql for sql in queries)


def test_the_next_page_shows_a_scales_edit_and_a_questions(client, question):
    url = f"/questions/{question.slug}/"
    assert "Supports" in client.get(url).content.decode()
    Position.objects.filter(question=question, key="yes").update(label="Backs it")
    type(question).objects.filter(pk=question.pk).update(title="Recognising the vote")
    body = client.get(url).content.decode()
    assert "Backs it" in body and "Supports" not in body
    assert "Recognising the vote" in body


def test_the_next_page_shows_a_new_translation_in_its_language(client, question):
    url = f"/fr/questions/{question.slug}/"
    assert "Recognising the election" in client.get(url).content.decode()
    QuestionTranslation.objects.create(
        question=question, language="fr", title="Reconnaître l’élection"
    )
    body = client.get(url).content.decode()
    assert "Reconnaître l’élection" in body


def test_each_language_keeps_its_own_words(client, question):
    QuestionTranslation.objects.create(
        question=question, language="fr", title="Reconnaître l’élection"
    )
    french = client.get(f"/fr/questions/{question.slug}/").content.decode()
    english = client.get(f"/questions/{question.slug}/").content.decode()
    assert "Reconnaître l’élection" in french
    assert "Reconnaître" not in english and "Recognising the election" in english


def test_an_unpublished_question_is_not_kept_as_found(client, question):
    url = f"/questions/{question.slug}/"
    type(question).objects.filter(pk=question.pk).update(is_published=False)
    assert client.get(url).status_code == 404
    type(question).objects.filter(pk=question.pk).update(is_published=True)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("path", ["/fr/questions/{slug}/", "/fr/"], ids=["map page", "home"])
def test_after_a_stances_edit_a_page_in_another_language_reads_no_translation(
    client, question, path
):
    # The home page reads the questions afresh each time; their words come from what the
    # process keeps per language until the reference moves, as the map page's do.
    QuestionTranslation.objects.create(
        question=question, language="fr", title="Reconnaître l’élection"
    )
    url = path.format(slug=question.slug)
    _, first = reads(client, url)
    assert any("translation" in sql for sql in first)
    record(question, "HU", "no", "2024-03-02")
    body, after_edit = reads(client, url)
    assert "Reconnaître l’élection" in body
    assert not any("translation" in sql for sql in after_edit)
