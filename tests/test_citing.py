"""The "Cite this" text: a question as of a date, with its permalink."""

import datetime
import re

import pytest
from django.utils import timezone

from stances import citing
from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return make_question(slug="sanctions")


def test_a_citation_names_the_question_the_date_and_the_permalink(question):
    text = citing.citation(
        question.title,
        datetime.date(2024, 3, 15),
        "https://stances.example.org/questions/sanctions/",
        accessed=datetime.date(2024, 4, 2),
    )
    assert text == (
        f"Stances, “{question.title}”, as of 15 March 2024, "
        "https://stances.example.org/questions/sanctions/?as_of=2024-03-15 "
        "(accessed 2 April 2024)."
    )


def test_the_map_pages_share_links_follow_the_host_the_language_and_the_date(
    client, question, settings
):
    # The links and the citation are kept per process by what they are made of
    # (pages/views.py, _sharing): each of these must still get its own.
    settings.ALLOWED_HOSTS = ["stances.example.org", "mirror.example.org"]
    url = question.get_absolute_url()

    def shared(path, host):
        page = client.get(path, headers={"Host": host}).content.decode()
        permalink = re.search(r'<a id="permalink" href="([^"]+)"', page).group(1)
        citation = re.search(r'<textarea id="cite-text"[^>]*>([^<]+)</textarea>', page).group(1)
        embed = re.search(r'data-embed-base="([^"]+)"', page).group(1)
        return permalink, citation, embed

    today = timezone.localdate().isoformat()
    first = shared(url, "stances.example.org")
    assert first[0] == f"http://stances.example.org{url}?as_of={today}"
    assert first[0] in first[1] and first[2].startswith("http://stances.example.org/")
    mirror = shared(url, "mirror.example.org")
    assert mirror[0] == f"http://mirror.example.org{url}?as_of={today}"
    assert mirror[2].startswith("http://mirror.example.org/")
    german = shared(f"/de{url}", "stances.example.org")
    assert german[0] == f"http://stances.example.org/de{url}?as_of={today}"
    assert "(abgerufen am " in german[1] and "accessed" not in german[1]
    dated = shared(f"{url}?as_of=2024-03-15", "stances.example.org")
    assert dated[0] == f"http://stances.example.org{url}?as_of=2024-03-15"
