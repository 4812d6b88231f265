"""Security headers on every kind of page: a strict Content-Security-Policy, no framing but the
embed page, and the headers browsers use to limit what a page may do."""

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import path

from stances import urls as site_urls
from stances.serving.caching import public_page
from stances.serving.framing import allow_framing
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db

SLUG = "recognition"
HISTORY_STYLE = "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"


def boom(request):
    raise RuntimeError("a bug")


def database_away(request):
    raise OperationalError("connection refused")


@allow_framing
@public_page
def framed(request):
    return HttpResponse("<p>Embeddable</p>")


urlpatterns = [
    path("test/boom/", boom),
    path("test/database-away/", database_away),
    path("test/framed/", framed),
    *site_urls.urlpatterns,
]


def policy(response) -> dict[str, set[str]]:
    """The Content-Security-Policy header as {directive: {sources}}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_protected(response, frame_ancestors=("'none'",)):
    csp = policy(response)
    assert csp["default-src"] == {"'self'"}
    assert csp["script-src"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}
    assert csp["img-src"] == {"'self'", "data:"}
    assert csp["object-src"] == {"'none'"}
    assert csp["base-uri"] == {"'none'"}
    assert csp["form-action"] == {"'self'"}
    assert csp["frame-ancestors"] == set(frame_ancestors)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.fixture
def question(db):
    question = make_question(slug=SLUG)
    record(question, "HU", "maybe", "2024-03-10")
    return question


@pytest.fixture
def reader_client(client):
    client.force_login(get_user_model().objects.create_user("reader"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"/questions/{SLUG}/",
        f"/questions/{SLUG}/countries/hu/",
        "/countries/hu/",
        f"/questions/{SLUG}/map.svg",
        f"/questions/{SLUG}/export.csv",
        "/api/questions",
        "/feeds/changes.atom",
        "/accounts/login/",
    ],
)
def test_every_kind_of_page_forbids_inline_script_and_framing(client, question, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_protected(response)
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url, status",
    [
        ("/no-such-page/", 404),
        ("/questions/no-such-question/", 404),
        (f"/questions/{SLUG}/?as_of=yesterday", 400),
        ("/test/boom/", 500),
        ("/test/database-away/", 503),
    ],
)
@pytest.mark.urls(__name__)
def test_error_pages_carry_the_same_headers(client, question, url, status):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    assert_protected(response)
    assert response["X-Frame-Options"] == "DENY"


def test_a_reader_refused_an_editors_page_gets_a_403_page_with_the_headers(reader_client, question):
    response = reader_client.get(f"/questions/{SLUG}/countries/hu/edit/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert_protected(response)


def test_the_404_page_is_in_the_sites_style(client, db):
    body = client.get("/no-such-page/").content.decode()
    assert "Page not found" in body
    assert 'class="site-header"' in body
    assert "stances/site.css" in body


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_500_and_503_pages_render_without_the_database(django_assert_num_queries, template):
    with django_assert_num_queries(0):
        body = loader.get_template(template).render()
    assert 'class="site-header"' in body
    assert "stances/site.css" in body


@pytest.mark.urls(__name__)
def test_a_server_error_shows_a_plain_page_without_a_traceback(client, db):
    client.raise_request_exception = False
    body = client.get("/test/boom/").content.decode()
    assert "Something went wrong" in body
    assert "Traceback" not in body and "a bug" not in body


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/stances/stance/"])
def test_the_admin_may_use_only_the_one_style_attribute_its_history_page_needs(admin_client, url):
    response = admin_client.get(url, follow=True)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["style-src"] == {"'self'", "'unsafe-hashes'", HISTORY_STYLE}
    assert csp["script-src"] == {"'self'"}
    assert csp["frame-ancestors"] == {"'none'"}
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.urls(__name__)
def test_a_view_marked_allow_framing_may_be_framed_by_any_site_even_from_the_cache(client, db):
    for _ in range(2):  # the second answer comes from the page cache
        response = client.get("/test/framed/")
        assert response.status_code == 200
        assert_protected(response, frame_ancestors=["*"])
        assert "X-Frame-Options" not in response


def test_the_embed_page_may_be_framed_by_any_site_even_from_the_cache(client, question):
    for _ in range(2):
        response = client.get(f"/questions/{SLUG}/embed/")
        assert response.status_code == 200
        assert_protected(response, frame_ancestors=["*"])
        assert "X-Frame-Options" not in response


def test_htmx_may_not_evaluate_strings_or_inject_styles(client, question):
    body = client.get("/").content.decode()
    assert '"allowEval": false' in body
    assert '"includeIndicatorStyles": false' in body
