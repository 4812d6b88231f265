"""Small fixes readers and editors ran into: each as they would notice it."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_question, record
from tests.pages.test_edit_stance import HTMX, edit_url, entry

pytestmark = pytest.mark.django_db

# "For" is the first position of three: separators must not depend on where it stands.
SCALE = [
    ("yes", "Recognises", "#0072B2", "for", True),
    ("no", "Does not recognise", "#D55E00", "against", True),
    ("silent", "No public position", "#999999", "absent", False),
]


@pytest.fixture
def question():
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest is weighing it.")
    return question


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_how_this_is_counted_lists_each_vote_with_its_own_separators(client):
    question = make_question(scale=SCALE)
    html = text(client.get(reverse("question", args=[question.slug])).content.decode())
    assert "For: Recognises." in html
    assert "Against: Does not recognise." in html
    assert (
        "Abstains (counts against under qualified majority, does not prevent unanimity): none."
        in html
    )
    assert "Not counted (takes no part): No public position; no record." in html


def test_a_long_summary_is_refused_with_a_message_never_cut_by_the_browser(editor_client, question):
    form = editor_client.get(edit_url(question), headers=HTMX).content.decode()
    assert not re.search(r"<textarea[^>]*maxlength", form)
    assert not re.search(r"<input[^>]*name=\"sources-0-url\"[^>]*maxlength", form)
    long = "x" * 5000
    response = editor_client.post(edit_url(question), entry(question, summary=long), headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "at most 1000 characters (it has 5000)" in body
    assert long in body  # all of it kept, to shorten


def test_after_a_save_the_filter_chips_count_anew_and_keep_the_tables_sort(editor_client, question):
    page = reverse("question", args=[question.slug]) + "?sort=-since"
    headers = HTMX | {"HX-Current-URL": "http://testserver" + page}
    response = editor_client.post(edit_url(question), entry(question), headers=headers)
    chips = re.search(r'<nav id="filters".*?</nav>', response.content.decode(), re.S).group(0)
    assert 'hx-swap-oob="true"' in chips
    assert "Opposes (1)" in chips and "Undecided (0)" in chips
    assert "sort=-since" in chips


def test_the_home_page_advertises_the_site_wide_feed(client):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/changes.atom"' in html


@pytest.mark.parametrize(
    "asked, canonical",
    [
        ("/countries/el/", "/countries/gr/"),
        ("/countries/GR/", "/countries/gr/"),
        ("/countries/EL/compare/?from=2024-03-01", "/countries/gr/compare/?from=2024-03-01"),
        (
            "/questions/{slug}/countries/SE/?as_of=2024-03-02",
            "/questions/{slug}/countries/se/?as_of=2024-03-02",
        ),
    ],
)
def test_country_addresses_take_iso_or_eu_codes_in_any_case_and_redirect(
    client, question, asked, canonical
):
    response = client.get(asked.format(slug=question.slug))
    assert response.status_code == 301
    assert response["Location"] == canonical.format(slug=question.slug)


@pytest.mark.parametrize("code", ["xx", "g", "gré", "g\x00"])
def test_other_codes_are_still_404s(client, code):
    assert client.get(f"/countries/{code}/").status_code == 404


def test_moving_the_date_keeps_the_open_country_in_the_address(client, question):
    html = client.get(reverse("country_timeline", args=[question.slug, "hu"])).content.decode()
    form = re.search(r'<form class="as-of"[^>]*>', html).group(0)
    assert f'action="/questions/{question.slug}/countries/hu/"' in form
    assert f'hx-get="/questions/{question.slug}/countries/hu/"' in form


def test_no_template_syntax_reaches_a_page(client, question):
    for path in ("/", reverse("question", args=[question.slug]), "/countries/hu/"):
        html = client.get(path).content.decode()
        assert "{#" not in html and "{%" not in html and "#}" not in html
