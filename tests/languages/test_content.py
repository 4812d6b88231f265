"""A question's words in the reader's language where editors gave them, the English with a
mark where they did not; the English record itself never changes."""

import pytest

from stances.models import Position, Question, QuestionTranslation
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question("Recognising the election", proposal="Recognise the result")
    record(question, "FR", "yes", "2024-03-01")
    QuestionTranslation.objects.create(
        question=question,
        language="fr",
        title="Reconnaître l’élection",
        proposal="Reconnaître le résultat",
    )
    yes = question.positions.get(key="yes")
    yes.translations.create(language="fr", label="Oui, en français")
    return question


def test_the_page_shows_the_words_editors_gave_in_that_language(client, question):
    body = client.get(f"/fr/questions/{question.slug}/").content.decode()
    assert "Reconnaître l’élection" in body
    assert "Oui, en français" in body
    assert "Recognising the election" not in body


def test_english_readers_get_the_english(client, question):
    body = client.get(f"/questions/{question.slug}/").content.decode()
    assert "Recognising the election" in body
    assert "Reconnaître" not in body


def test_a_language_without_translation_shows_the_english_marked(client, question):
    body = client.get(f"/de/questions/{question.slug}/").content.decode()
    assert "Recognising the election" in body
    assert "not yet translated" in body.lower() or "noch nicht übersetzt" in body.lower()
    assert 'lang="en"' in body


def test_the_api_says_the_language_it_answers_in(client, question):
    french = client.get(f"/api/questions/{question.slug}", {"lang": "fr"})
    english = client.get(f"/api/questions/{question.slug}")
    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    assert french.json()["title"] == "Reconnaître l’élection"
    assert english.json()["title"] == "Recognising the election"


def test_a_translation_moves_the_revision_so_cached_pages_follow(client, question):
    url = f"/fr/questions/{question.slug}/"
    assert "Reconnaître l’élection" in client.get(url).content.decode()
    translation = question.translations.get(language="fr")
    translation.title = "Reconnaître le scrutin"
    translation.save()
    assert "Reconnaître le scrutin" in client.get(url).content.decode()


def test_the_admin_edits_the_english_record_whatever_the_editor_s_language(admin_client, question):
    page = admin_client.get(
        f"/admin/stances/question/{question.pk}/change/", headers={"Accept-Language": "fr"}
    )
    assert page.status_code == 200
    assert 'value="Recognising the election"' in page.content.decode()
    assert "Reconnaître l’élection" in page.content.decode()  # in the translations below


def test_words_shown_in_another_language_are_never_saved_over_the_english(question):
    from stances.languages.content import shown_in

    with shown_in("fr", lambda: 0):
        shown = Question.objects.get(pk=question.pk)
        label = Position.objects.get(question=question, key="yes")
    assert shown.title == "Reconnaître l’élection"
    assert label.label == "Oui, en français"
    with pytest.raises(RuntimeError):
        shown.save()
    question.refresh_from_db()
    assert question.title == "Recognising the election"


def test_a_reader_s_alert_has_the_question_in_their_language(question):
    from stances.following import mails, news
    from stances.models import Follower, Subscription

    change = record(question, "FR", "no", "2024-03-05")
    follower = Follower.objects.create(email="lecteur@example.org", language="fr")
    subscription = Subscription.objects.create(
        follower=follower, question=question, frequency="instant"
    )
    mail = mails.alert(subscription, news.move_of(change.pk))
    assert "Reconnaître l’élection" in mail.subject
    assert "Oui, en français" in mail.body  # the position before, as editors translated it
    english = Follower.objects.create(email="reader@example.org")
    subscription.pk, subscription.follower = None, english
    subscription.save()
    assert "Recognising the election" in mails.alert(subscription, news.move_of(change.pk)).subject


def test_an_editor_records_a_change_from_a_page_in_another_language(editor_client, question):
    from tests.pages.test_edit_stance import HTMX, entry

    stance = question.stances.get(member_state__code="FR")
    url = f"/fr/questions/{question.slug}/countries/fr/edit/"
    response = editor_client.post(url, entry(question, version=stance.version), headers=HTMX)
    assert response.status_code == 200
    assert "Oui, en français" in response.content.decode()  # the timeline, in French
    assert stance.changes.count() == 2
    question.refresh_from_db()
    assert question.title == "Recognising the election"  # the English record, untouched
