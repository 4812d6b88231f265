"""The embeddable map page, the SVG download, and the share box on the map page."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from stances.transfer.demo import load_demo

pytestmark = pytest.mark.django_db

SLUG = "occupied-territories-vote-2024"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def demo():
    load_demo()


def test_the_embed_page_has_the_map_legend_and_outcome_but_no_site_chrome(client):
    body = client.get(reverse("question_embed", args=[SLUG])).content.decode()
    assert len(re.findall(r'class="country[ "]', body)) == 27
    assert 'id="legend"' in body and 'id="outcome"' in body
    assert 'class="site-header"' not in body
    assert 'id="table"' not in body
    assert 'target="_blank"' in body  # countries open the full timeline outside the frame
    assert "hx-get" not in body


def test_the_svg_download_is_a_standalone_file_with_title_and_legend(client):
    response = client.get(reverse("question_map_svg", args=[SLUG]), {"as_of": "2024-03-14"})
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == (f'attachment; filename="{SLUG}-map-2024-03-14.svg"')
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert (
        "Recognition of the March 2024 vote held in Russian-occupied Ukrainian territories" in texts
    )
    assert "Does not recognise: 27" in texts
    country_titles = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert len(country_titles) == 27
    assert "Malta: Does not recognise since 14 March 2024" in country_titles


def test_the_svg_download_refuses_a_bad_date_clearly(client):
    response = client.get(reverse("question_map_svg", args=[SLUG]), {"as_of": "13/13/2024"})
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()


def test_the_map_page_offers_a_citation_an_embed_snippet_and_downloads(client):
    response = client.get(reverse("question", args=[SLUG]), {"as_of": "2024-03-15"})
    body = response.content.decode()
    assert f"http://testserver/questions/{SLUG}/?as_of=2024-03-15" in body
    assert "Stances, “Recognition of the March 2024 vote" in body
    assert (
        f"&lt;iframe src=&quot;http://testserver/questions/{SLUG}/embed/?as_of=2024-03-15" in body
    )
    assert f"/questions/{SLUG}/map.svg?as_of=2024-03-15" in body
    assert f"/questions/{SLUG}/export.csv?as_of=2024-03-15" in body


def test_the_embed_page_uses_at_most_five_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get(reverse("question_embed", args=[SLUG])).status_code == 200


@pytest.mark.parametrize(
    "show, legend, outcome",
    [("map", False, False), ("legend", True, False), ("outcome", True, True)],
)
def test_the_embed_shows_what_its_address_asks(client, show, legend, outcome):
    body = client.get(reverse("question_embed", args=[SLUG]), {"show": show}).content.decode()
    assert 'class="map"' in body
    assert ('id="legend"' in body) is legend
    assert ('id="outcome"' in body) is outcome
    assert "embed-credit" in body


@pytest.mark.parametrize(
    "theme, root", [("light", 'class="theme-light"'), ("dark", 'class="theme-dark"')]
)
def test_the_embed_takes_a_theme(client, theme, root):
    body = client.get(reverse("question_embed", args=[SLUG]), {"theme": theme}).content.decode()
    assert f'<html lang="en" {root}>' in body


@pytest.mark.parametrize(
    "params, message",
    [({"show": "table"}, "“show” may be"), ({"theme": "sepia"}, "“theme” may be")],
)
def test_a_bad_embed_choice_is_a_400_that_says_the_choices(client, params, message):
    response = client.get(reverse("question_embed", args=[SLUG]), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_snippet_carries_the_resizing_script_and_a_height_that_fits(client):
    body = client.get(reverse("question", args=[SLUG])).content.decode()
    code = re.search(r'<textarea id="embed-code".*?</textarea>', body, re.S).group(0)
    assert "height=&quot;1800&quot;" in code
    assert "&lt;script async src=&quot;http://testserver/static/stances/embed" in code
