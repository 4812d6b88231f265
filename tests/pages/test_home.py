import pytest
from django.urls import reverse

from stances.models import MemberState
from stances.transfer.demo import load_demo
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


def test_home_lists_the_published_questions_and_all_27_member_states(client):
    load_demo()
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Recognition of Vladimir Putin&#x27;s March 2024 re-election" in body
    assert (
        "Recognition of the March 2024 vote held in Russian-occupied Ukrainian territories" in body
    )
    for member_state in MemberState.objects.all():
        assert member_state.get_absolute_url() in body
    assert "Does not recognise <strong>27</strong>" in body
    assert "No public position <strong>27</strong>" in body


def test_home_hides_draft_questions(client):
    make_question("Draft question", published=False)
    assert "Draft question" not in client.get(reverse("home")).content.decode()


def test_home_shows_the_latest_changes_newest_first(client):
    question = make_question()
    record(question, "HU", "no", "2024-03-20")
    record(question, "MT", "yes", "2024-03-01")
    body = client.get(reverse("home")).content.decode()
    assert body.index("Malta") < body.index("Hungary", body.index("Latest changes"))


def test_home_uses_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(3):
        question = make_question()
        for code in ("HU", "DE", "FR", "PL"):
            record(question, code, "yes", f"2024-03-0{n + 1}")
    with django_assert_max_num_queries(5):
        assert client.get(reverse("home")).status_code == 200
