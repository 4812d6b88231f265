"""Which language a page is in: its prefix, ?lang=, the switcher's cookie, the browser's
Accept-Language; and that cached pages and their ETags never cross languages."""

import pytest
from django.conf import settings

from stances.languages import CODES, OFFICIAL_LANGUAGES
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question()
    record(question, "GR", "yes", "2024-03-01")
    return question


def test_the_union_s_24_languages_are_offered_each_named_in_itself():
    assert len(OFFICIAL_LANGUAGES) == 24
    assert dict(OFFICIAL_LANGUAGES)["de"] == "Deutsch"
    assert dict(OFFICIAL_LANGUAGES)["el"] == "ελληνικά"
    assert dict(OFFICIAL_LANGUAGES)["ga"] == "Gaeilge"
    assert dict(OFFICIAL_LANGUAGES)["mt"] == "Malti"
    assert settings.LANGUAGES == OFFICIAL_LANGUAGES


def test_english_keeps_its_addresses_and_other_languages_have_a_prefix(client, question):
    english = client.get(f"/questions/{question.slug}/")
    german = client.get(f"/de/questions/{question.slug}/")
    assert english.status_code == german.status_code == 200
    assert english["Content-Language"] == "en"
    assert german["Content-Language"] == "de"
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="de"' in german.content.decode()


@pytest.mark.parametrize("code", sorted(CODES - {"en"}))
def test_every_language_has_its_prefix(client, question, code):
    response = client.get(f"/{code}/questions/{question.slug}/")
    assert response.status_code == 200
    assert response["Content-Language"] == code


def test_an_unknown_prefix_is_a_404(client, question):
    assert client.get(f"/xx/questions/{question.slug}/").status_code == 404
    assert client.get(f"/en/questions/{question.slug}/").status_code == 404


def test_a_first_visit_goes_to_the_browser_s_language(client, question):
    response = client.get(
        f"/questions/{question.slug}/?as_of=2024-03-20",
        headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fr/questions/{question.slug}/?as_of=2024-03-20"
    assert "Accept-Language" in response["Vary"]


def test_a_browser_in_a_language_the_union_does_not_use_gets_english(client, question):
    response = client.get(f"/questions/{question.slug}/", headers={"Accept-Language": "ja"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


def test_after_a_choice_in_the_switcher_english_addresses_stay_english(client, question):
    page = f"/questions/{question.slug}/countries/gr/?as_of=2024-03-20"
    chosen = client.get("/language/de/", {"next": page})
    assert chosen.status_code == 302
    assert chosen["Location"] == f"/de/questions/{question.slug}/countries/gr/?as_of=2024-03-20"
    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    back = client.get(page, headers={"Accept-Language": "de"})
    assert back.status_code == 200
    assert back["Content-Language"] == "en"


def test_choosing_english_goes_to_the_unprefixed_address(client, question):
    chosen = client.get(
        "/language/en/", {"next": f"/de/questions/{question.slug}/?as_of=2024-03-20"}
    )
    assert chosen["Location"] == f"/questions/{question.slug}/?as_of=2024-03-20"


def test_the_switcher_knows_only_the_union_s_languages(client):
    assert client.get("/language/xx/", {"next": "/"}).status_code == 404


def test_the_switcher_never_sends_a_reader_to_another_site(client):
    chosen = client.get("/language/fr/", {"next": "https://evil.example/"})
    assert chosen["Location"] == "/fr/"


def test_lang_names_the_language_where_the_address_has_no_prefix(client, question):
    embed = client.get(f"/questions/{question.slug}/embed/", {"lang": "el"})
    assert embed.status_code == 200
    assert embed["Content-Language"] == "el"


def test_an_unknown_lang_is_a_clear_400(client, question):
    response = client.get("/api/questions", {"lang": "klingon"})
    assert response.status_code == 400
    assert "bg, cs, da, de" in response.json()["error"]
    page = client.get(f"/questions/{question.slug}/embed/", {"lang": "xx"})
    assert page.status_code == 400
    assert "“lang”" in page.content.decode()


def test_the_admin_follows_the_editor_s_browser(admin_client):
    response = admin_client.get("/admin/", headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert "Déconnexion" in response.content.decode()  # Django's own French


def test_cached_pages_and_etags_differ_per_language(client, question):
    url = f"/questions/{question.slug}/"
    english = client.get(url)
    french = client.get(f"/fr{url}")
    english_again = client.get(url)
    assert english["ETag"] != french["ETag"]
    assert english_again["Content-Language"] == "en"
    assert english_again.content == english.content
    assert client.get(url, headers={"If-None-Match": french["ETag"]}).status_code == 200
    assert client.get(url, headers={"If-None-Match": english["ETag"]}).status_code == 304


def test_a_cached_french_embed_is_never_served_in_english(client, question):
    url = f"/questions/{question.slug}/embed/"
    french = client.get(url, {"lang": "fr"})
    english = client.get(url)
    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    assert french.content != english.content


def test_every_reader_page_names_its_other_languages(client, question):
    body = client.get(f"/questions/{question.slug}/?as_of=2024-03-20").content.decode()
    for code in CODES - {"en"}:
        assert (
            f'<link rel="alternate" hreflang="{code}" '
            f'href="http://testserver/{code}/questions/{question.slug}/?as_of=2024-03-20">'
        ) in body
    assert (
        '<link rel="alternate" hreflang="x-default" '
        f'href="http://testserver/questions/{question.slug}/?as_of=2024-03-20">'
    ) in body


def test_the_other_languages_of_a_page_asked_with_lang_carry_no_lang(client, question):
    response = client.get(f"/questions/{question.slug}/", {"lang": "de", "as_of": "2024-03-20"})
    body = response.content.decode()
    assert response["Content-Language"] == "de"
    french = f"http://testserver/fr/questions/{question.slug}/?as_of=2024-03-20"
    assert f'<link rel="alternate" hreflang="fr" href="{french}">' in body
    switch = f"/language/fr/?next=%2Fquestions%2F{question.slug}%2F%3Fas_of%3D2024-03-20"
    assert f'href="{switch}"' in body
