"""Every public page in each of the Union's 24 languages: no message the catalogue translates
is left in English on it, and the member states have their names in that language."""

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from stances.languages import CODES, ENGLISH
from stances.models import MemberState
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "stances" / "locale"
TRANSLATED = sorted(CODES - {ENGLISH})
PLACEHOLDER = re.compile(r"%\(|%s|%d|\{|<|&")


@pytest.fixture
def question():
    question = make_question("Recognition", slug="recognition")
    for n, code in enumerate(MemberState.objects.values_list("code", flat=True)):
        record(question, code, ["yes", "no", "maybe"][n % 3], "2024-03-01")
    record(question, "HU", "no", "2024-03-10")
    return question


def pages(question):
    slug = question.slug
    return [
        "/",
        "/about/",
        f"/questions/{slug}/",
        f"/questions/{slug}/countries/hu/?as_of=2024-03-12",
        f"/questions/{slug}/compare/?from=2024-03-05&to=2024-03-12",
        "/countries/hu/",
        "/countries/hu/compare/?from=2024-03-05&to=2024-03-12",
        f"/questions/{slug}/embed/",
        f"/questions/{slug}/map.svg",
        "/api/",
        "/no-such-page/",
    ]


def catalogue(language) -> dict[str, str]:
    """The catalogue's plain messages (whole sentences or labels, no placeholders or markup,
    two words at least) whose translation differs from the English."""
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        messages = read_po(po)
    return {
        m.id: m.string
        for m in messages
        if isinstance(m.id, str)
        and m.id
        and " " in m.id.strip()
        and not PLACEHOLDER.search(m.id)
        and m.string
        and m.string != m.id
    }


INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S)
SHOWN_ATTRIBUTES = re.compile(r'\s(?:title|alt|aria-label|placeholder|content)="([^"]*)"')


def visible_text(body: str) -> str:
    """What a reader sees or hears: text between tags, and the attributes read out or shown."""
    body = INVISIBLE.sub(" ", body)
    attributes = " ".join(SHOWN_ATTRIBUTES.findall(body))
    text = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(f"{text} {attributes}").split())


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_public_page_is_in_the_reader_s_language(client, question, language):
    messages = catalogue(language)
    assert len(messages) > 300
    for page in pages(question):
        prefixed = (
            f"/{language}{page}" if not page.startswith("/api/") else f"{page}?lang={language}"
        )
        response = client.get(prefixed)
        assert response.status_code == (404 if "no-such-page" in page else 200), prefixed
        assert response["Content-Language"] == language, prefixed
        text = visible_text(response.content.decode())
        english = [m for m in messages if m in text]
        assert english == [], f"{prefixed} shows in English: {english[:5]}"


def test_the_greek_page_names_greece_in_greek_and_keeps_its_code(client, question):
    body = client.get("/el/questions/recognition/").content.decode()
    assert "Ελλάδα" in body
    assert ">EL</abbr>" in body
    assert "Greece" not in visible_text(body)


@pytest.mark.parametrize("language", ["ga", "mt"])
def test_the_irish_and_maltese_pages_render(client, question, language):
    response = client.get(f"/{language}/questions/recognition/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    assert {"ga": "an Ghréig", "mt": "il-Greċja"}[language] in response.content.decode()


def test_the_portuguese_page_uses_the_names_of_portugal(client, question):
    text = visible_text(client.get("/pt/questions/recognition/").content.decode())
    assert "Chéquia" in text and "Países Baixos" in text
    assert "Tchéquia" not in text and "Holanda" not in text  # Brazil's


def test_the_eu_s_names_where_cldr_differs(client, question):
    assert "Madalmaad" in client.get("/et/questions/recognition/").content.decode()
    assert "Niderlandy" in client.get("/pl/questions/recognition/").content.decode()
    assert "iċ-Ċekja" in client.get("/mt/questions/recognition/").content.decode()
    english = visible_text(client.get("/questions/recognition/").content.decode())
    assert "Czechia" in english and "Netherlands" in english and "Holland" not in english


def test_the_protocol_order_stays_and_sorting_by_name_follows_the_language(client, question):
    def names(body):
        return re.findall(r'<th scope="row"[^>]*>.*?<a [^>]*>([^<]+)</a>', body, re.S)

    german = client.get("/de/questions/recognition/").content.decode()
    assert names(german)[:3] == ["Belgien", "Bulgarien", "Tschechien"]  # Belgium, Bulgaria, Czechia
    by_name = names(client.get("/de/questions/recognition/?sort=name").content.decode())
    assert by_name[:3] == ["Belgien", "Bulgarien", "Dänemark"]
    assert by_name.index("Österreich") < by_name.index("Polen")  # Ö with O, not after Z
    greek = names(client.get("/el/questions/recognition/?sort=name").content.decode())
    assert greek[0] == "Αυστρία"  # Austria, first in the Greek alphabet's order


def test_dates_are_written_in_the_reader_s_language(client, question):
    assert "10. März 2024" in client.get("/de/questions/recognition/countries/hu/").content.decode()
    assert (
        "10 martie 2024" in client.get("/ro/questions/recognition/countries/hu/").content.decode()
    )
    english = client.get("/questions/recognition/countries/hu/").content.decode()
    assert "10 March 2024" in english


def test_the_share_image_and_the_downloads_follow_lang(client, question):
    english = client.get("/questions/recognition/share.png")
    german = client.get("/questions/recognition/share.png", {"lang": "de"})
    assert english.status_code == german.status_code == 200
    assert german["Content-Language"] == "de"
    assert english.content != german.content
    assert english["ETag"] != german["ETag"]
    svg = client.get("/questions/recognition/map.svg", {"lang": "fr"}).content.decode()
    assert "Hongrie" in svg
