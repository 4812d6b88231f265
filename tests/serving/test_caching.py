"""Public pages are cached and revalidated on the data's revision, and never stale."""

import datetime
import gzip
import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from stances.models import MemberState, Revision, Source, Stance, StanceChange
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


def map_url(question):
    return reverse("question", args=[question.slug])


def test_an_anonymous_page_can_be_held_briefly_by_a_cdn_and_revalidated(client, question):
    response = client.get(map_url(question))
    assert response["ETag"].startswith('W/"r')
    assert "Last-Modified" in response
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=60" in cache_control
    assert "Cookie" in response["Vary"] and "HX-Target" in response["Vary"]
    assert not response.cookies


def test_a_conditional_get_with_the_etag_gets_304(client, question, django_assert_max_num_queries):
    etag = client.get(map_url(question))["ETag"]
    with django_assert_max_num_queries(1):
        response = client.get(map_url(question), headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_a_cached_page_goes_out_gzipped_without_compressing_it_again(client, question):
    plain = client.get(map_url(question)).content
    response = client.get(map_url(question), headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    assert "Accept-Encoding" in response["Vary"]


def test_a_cached_page_keeps_the_headers_its_view_set(client):
    question = make_question(slug="svg-question")
    url = reverse("question_map_svg", args=[question.slug])
    first, second = client.get(url), client.get(url)
    assert first["Content-Disposition"] == second["Content-Disposition"]
    assert second["Content-Disposition"].startswith('attachment; filename="svg-question-map-')
    assert second["Content-Type"] == "image/svg+xml"


def test_a_proxy_may_keep_a_page_to_the_end_of_the_second_it_goes_out(client, question):
    # nginx counts whole seconds: "@<now>" keeps a page at most one. A page served from the
    # app's own cache later must say the second it goes out, not the one it was rendered in,
    # or nginx would hold it as stale from the start and ask for it again on every request.
    rendered = client.get(map_url(question))
    time.sleep(1.1)
    served = client.get(map_url(question))
    assert served["ETag"] == rendered["ETag"]  # the same stored page
    rendered_at, served_at = (
        int(r["X-Accel-Expires"].removeprefix("@")) for r in (rendered, served)
    )
    assert served_at > rendered_at and abs(served_at - time.time()) <= 1
    etag = served["ETag"]
    not_modified = client.get(map_url(question), headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert abs(int(not_modified["X-Accel-Expires"].removeprefix("@")) - time.time()) <= 1


def test_a_cached_page_costs_one_query(client, question, django_assert_max_num_queries):
    client.get(map_url(question))
    with django_assert_max_num_queries(1):
        assert client.get(map_url(question)).status_code == 200


def test_an_edit_is_visible_on_the_very_next_request(client, question):
    first = client.get(map_url(question))
    assert 'aria-label="Hungary: Undecided since 1 March 2024"' in first.content.decode()
    record(question, "HU", "no", "2024-03-09")
    second = client.get(map_url(question), headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert 'aria-label="Hungary: Opposes since 9 March 2024"' in second.content.decode()
    assert second["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    "write",
    [
        lambda q: StanceChange.objects.update(summary="Raw update"),
        lambda q: q.positions.filter(key="maybe").update(label="Hesitates"),
        lambda q: StanceChange.objects.all().delete(),
        # Its triggers were once lost on SQLite when a migration rebuilt the table.
        lambda q: MemberState.objects.filter(code="MT").update(population=563_443),
        lambda q: Source.objects.update(publisher="Renamed"),
        lambda q: Stance.objects.update(checked_on=datetime.date(2024, 12, 2)),
    ],
    ids=["bulk update", "position renamed", "delete", "population", "source", "stance checked"],
)
def test_any_write_to_the_records_moves_the_revision(question, write):
    before = Revision.current().number
    write(question)
    assert Revision.current().number > before


def test_an_htmx_fragment_and_the_full_page_are_cached_apart(client, question):
    client.get(map_url(question))
    fragment = client.get(map_url(question), headers={"HX-Request": "true", "HX-Target": "table"})
    assert "<html" not in fragment.content.decode()
    assert "<html" in client.get(map_url(question)).content.decode()


def test_signed_in_editors_get_a_private_page(editor_client, question):
    response = editor_client.get(map_url(question))
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    assert (
        "Record a change"
        in editor_client.get(
            reverse("country_timeline", args=[question.slug, "hu"])
        ).content.decode()
    )


def test_a_cached_page_goes_out_with_every_header_the_first_one_had(client, question):
    first = client.get(map_url(question))
    second = client.get(map_url(question))
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "ETag",
        "Cache-Control",
        "Vary",
    ):
        assert second[header] == first[header], header
    assert second.content == first.content


def test_the_cached_embed_page_may_still_be_framed(client, question):
    url = reverse("question_embed", args=[question.slug])
    client.get(url)
    cached = client.get(url)
    assert "frame-ancestors *" in cached["Content-Security-Policy"]
    assert "X-Frame-Options" not in cached


def test_a_304_from_the_cache_has_validators_but_no_body(client, question):
    etag = client.get(map_url(question))["ETag"]
    client.get(map_url(question))  # now stored
    response = client.get(map_url(question), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "s-maxage=60" in response["Cache-Control"]
    assert "Content-Type" not in response


def test_downloads_are_served_from_the_cache_too(client, question, django_assert_max_num_queries):
    url = reverse("question_export_csv", args=[question.slug])
    first = client.get(url)
    with django_assert_max_num_queries(1):  # the revision
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_a_reader_whose_browser_keeps_a_session_cookie_gets_the_current_page(client, question):
    client.cookies["sessionid"] = "no-such-session"
    client.get(map_url(question))
    record(question, "HU", "no", "2024-03-09")
    body = client.get(map_url(question)).content.decode()
    assert 'aria-label="Hungary: Opposes since 9 March 2024"' in body


def test_pages_are_rendered_while_the_shared_cache_is_away(
    client, question, shared_cache_away, caplog
):
    with shared_cache_away:
        for _ in range(2):
            response = client.get(map_url(question))
            assert response.status_code == 200
            body = response.content.decode()
            assert 'aria-label="Hungary: Undecided since 1 March 2024"' in body
    assert "Cache unavailable" in caplog.text


def test_a_page_is_cached_per_scheme_and_host(client, question, settings):
    settings.ALLOWED_HOSTS = ["stances.example.org", "mirror.example.org"]
    url = reverse("api_question", args=[question.slug])
    first = client.get(url, HTTP_HOST="stances.example.org")
    mirror = client.get(url, HTTP_HOST="mirror.example.org")
    secure = client.get(url, HTTP_HOST="stances.example.org", secure=True)
    assert "http://stances.example.org/" in first.content.decode()
    assert "http://mirror.example.org/" in mirror.content.decode()
    assert "https://stances.example.org/" in secure.content.decode()
    assert len({first["ETag"], mirror["ETag"], secure["ETag"]}) == 3


def test_a_host_that_is_not_allowed_never_reaches_a_cached_page(client, question, settings):
    settings.ALLOWED_HOSTS = ["stances.example.org"]
    assert client.get("/", HTTP_HOST="stances.example.org").status_code == 200  # now cached
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/", HTTP_HOST="evil.example", HTTP_IF_NONE_MATCH="*").status_code == 400


def test_tracking_and_junk_parameters_share_one_cache_entry_and_are_not_echoed(
    client, question, django_assert_max_num_queries
):
    plain = client.get(map_url(question))
    for junk in ["?utm_source=news&utm_medium=mail", "?fbclid=x1&junk=%3Cb%3E", "?x=" + "y" * 500]:
        with django_assert_max_num_queries(1):  # the revision: the page itself is a hit
            response = client.get(map_url(question) + junk)
        assert response.status_code == 200
        assert response["ETag"] == plain["ETag"]
        assert response.content == plain.content
    fresh = client.get(f"{map_url(question)}?junk=1&as_of=2024-03-02", HTTP_COOKIE="")
    assert "junk" not in fresh.content.decode()


def test_parameters_a_view_reads_still_make_their_own_pages(client, question):
    past = client.get(f"{map_url(question)}?as_of=2024-02-01&utm_source=x")
    assert past["ETag"] != client.get(map_url(question))["ETag"]
    assert "utm_source" not in past.content.decode()
    same = client.get(f"{map_url(question)}?utm_campaign=y&as_of=2024-02-01")
    assert same["ETag"] == past["ETag"]


def test_a_cold_render_asks_the_shared_cache_twice_and_a_hit_not_at_all(
    client, question, redis_shared_cache, redis_round_trips
):
    # Each round trip to Redis costs about as much as a small query: a render asks for the
    # page and, as it is not there, takes the turn and looks for the address's latest in one,
    # then stores the page, lets go of the turn and counts the render against the reader's
    # budget in one (the question's history is kept in the process). It asked ten times
    # before, three times until 7 December.
    client.get(reverse("home"))  # the connection is made, says who it is and loads the script
    redis_round_trips.clear()
    assert client.get(map_url(question)).status_code == 200
    assert len(redis_round_trips) == 2
    redis_round_trips.clear()
    assert client.get(map_url(question)).status_code == 200  # from this process's memory
    assert redis_round_trips == []
    caches["local"].clear()  # as another process: the page is in the shared cache
    hit = client.get(map_url(question))
    assert len(redis_round_trips) == 1
    assert hit.status_code == 200 and "Age" not in hit
