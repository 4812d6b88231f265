"""The share card: a 1200 × 630 PNG of the map, the countries in their positions' colours."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from stances.maps.mapsvg import load_map
from stances.maps.share_image import map_point, title_lines
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    record(question, "FR", "yes", "2024-03-01")  # #0072B2
    record(question, "DE", "no", "2024-03-01")  # #D55E00
    return question


def colour_at(image, code):
    x, y = map_point(*load_map().capitals[code])
    # A few pixels off the capital's exact point, away from any border line drawn through it.
    return image.getpixel((round(x) + 3, round(y) + 3))[:3]


def test_the_card_is_a_1200_by_630_png_with_each_country_in_its_colour(client, question):
    response = client.get(reverse("question_share_png", args=["sanctions"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    assert colour_at(image, "FR") == (0x00, 0x72, 0xB2)
    assert colour_at(image, "DE") == (0xD5, 0x5E, 0x00)


def test_as_of_a_date_the_card_shows_that_day(client, question):
    record(question, "FR", "no", "2024-03-10")
    then = client.get(reverse("question_share_png", args=["sanctions"]), {"as_of": "2024-03-05"})
    now = client.get(reverse("question_share_png", args=["sanctions"]))
    assert colour_at(Image.open(io.BytesIO(then.content)), "FR") == (0x00, 0x72, 0xB2)
    assert colour_at(Image.open(io.BytesIO(now.content)), "FR") == (0xD5, 0x5E, 0x00)


def test_a_bad_date_is_a_400(client, question):
    response = client.get(
        reverse("question_share_png", args=["sanctions"]), {"as_of": "2024-13-01"}
    )
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()


def test_long_titles_wrap_and_end_with_an_ellipsis():
    lines = title_lines("A " * 100)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(len(line) <= 28 for line in lines)


def test_the_map_page_names_the_card_for_link_previews(client, question):
    html = client.get(reverse("question", args=["sanctions"]), {"as_of": "2024-03-05"}).content
    assert (
        b'<meta property="og:image" content="http://testserver/questions/sanctions/share.png'
        b'?as_of=2024-03-05">' in html
    )
    assert b'<meta name="twitter:card" content="summary_large_image">' in html
    assert b'<meta property="og:title" content="Question' in html


def test_every_other_page_has_a_preview_too(client, question):
    for path in ("/", "/about/", "/countries/fr/"):
        html = client.get(path).content
        assert b'<meta property="og:title"' in html and b'<meta name="twitter:card"' in html, path
