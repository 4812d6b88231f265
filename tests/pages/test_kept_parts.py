"""`{% kept %}`: a part of a template written once per process for each set of values it shows,
so that it follows every one of them, the language included, and nothing else."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from stances.models import Question
from tests.factories import make_question, record

TEMPLATE = Template(
    '{% load kept i18n %}{% kept "greeting" name %}{% translate "Map" %}: {{ name }} {{ other }}'
    "{% endkept %}"
)


def rendered(**context) -> str:
    return TEMPLATE.render(Context({"request": RequestFactory().get("/"), **context}))


def test_a_part_is_written_again_for_other_values_and_given_as_it_was_for_the_same():
    assert rendered(name="Ada", other="first") == "Map: Ada first"
    assert rendered(name="Bea", other="second") == "Map: Bea second"
    # `other` is not among its values: the part given is the one written for "Ada".
    assert rendered(name="Ada", other="third") == "Map: Ada first"


def test_each_language_has_its_own():
    with translation.override("de"):
        german = rendered(name="Ada", other="x")
    with translation.override("en"):
        english = rendered(name="Ada", other="x")
    assert german != english and english.startswith("Map:")


@pytest.mark.django_db
def test_a_model_object_is_refused_as_a_value():
    template = Template('{% load kept %}{% kept "q" question %}{{ question.title }}{% endkept %}')
    with pytest.raises(TypeError):
        template.render(Context({"question": make_question()}))


@pytest.mark.django_db
def test_the_map_pages_sharing_follows_the_title_and_the_date(client):
    question = make_question("Recognising the election")
    record(question, "HU", "maybe", "2024-03-01")
    url = reverse("question", args=[question.slug])
    assert 'data-embed-title="Recognising the election"' in client.get(url).content.decode()
    Question.objects.filter(pk=question.pk).update(title="Recognising the vote")
    body = client.get(url).content.decode()
    assert 'data-embed-title="Recognising the vote"' in body
    assert "Recognising the election" not in body
    dated = client.get(url, {"as_of": "2024-03-02"}).content.decode()
    assert "Cite this as of 2 March 2024" in dated
    assert 'data-embed-as-of="2024-03-02"' in dated


@pytest.mark.django_db
def test_the_map_pages_date_form_follows_the_history_and_the_date(client):
    question = make_question()
    record(question, "HU", "maybe", "2024-03-05")
    url = reverse("question", args=[question.slug])
    before = client.get(url).content.decode()
    assert 'data-start="2024-03-05"' in before
    assert f'max="{datetime.date.today().isoformat()}"' in before
    record(question, "FR", "yes", "2024-03-01")  # an earlier first record: the slider grows
    after = client.get(url).content.decode()
    assert 'data-start="2024-03-01"' in after
    dated = client.get(url, {"as_of": "2024-03-02"}).content.decode()
    assert 'name="as_of" value="2024-03-02"' in dated
    assert 'class="as-of-reset"' in dated and 'class="as-of-reset"' not in after
