"""When the revision moves, one request renders each page; the others do not pile on."""

import dataclasses
import datetime
import gzip
import re
import threading
import time
import types
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from stances import revisions, shared_cache
from stances.models import Revision
from stances.serving import caching, turns
from stances.serving.caching import (
    PageCacheMiddleware,
    entity_tag,
    latest_key,
    public_page,
)
from tests.factories import record

pytestmark = pytest.mark.django_db


def slow_page(renders):
    @public_page
    def view(request, *args, **kwargs):
        renders.append(threading.get_ident())
        time.sleep(0.3)
        return HttpResponse(f"page {len(renders)}")

    return view


def test_concurrent_misses_for_one_page_cause_one_render(rf, question):
    renders = []
    middleware = PageCacheMiddleware(slow_page(renders))
    readers = [rf.get(reverse("question", args=[question.slug])) for _ in range(8)]
    for request in readers:
        request.user = AnonymousUser()
        entity_tag(request)  # the revision, read here: the threads need no database
    with ThreadPoolExecutor(len(readers)) as pool:
        responses = list(pool.map(middleware, readers))
    assert len(renders) == 1
    assert [r.status_code for r in responses] == [200] * 8
    assert {r.content for r in responses} == {b"page 1"}


def test_without_turns_every_miss_would_render(rf, question):
    """The same load on an address that is not a public page: each request renders (so the
    test above counts what it says)."""
    renders = []
    middleware = PageCacheMiddleware(slow_page(renders))
    readers = [rf.get("/not-a-page/") for _ in range(4)]
    for request in readers:
        request.user = AnonymousUser()
        entity_tag(request)
    with ThreadPoolExecutor(len(readers)) as pool:
        list(pool.map(middleware, readers))
    assert len(renders) == 4


def hold_the_turn(rf, url):
    """As another worker rendering the page does: the turn is the address's, any revision."""
    turn = turns.key_of_turn(latest_key(rf.get(url)))
    assert shared_cache.add(turn, 1, turns.TURN_SECONDS)
    return turn


def test_while_a_page_is_rendered_readers_get_the_one_before_with_its_age(client, rf, question):
    url = reverse("question", args=[question.slug])
    before = client.get(url)
    record(question, "HU", "yes", "2024-03-05")  # the revision moves
    turn = hold_the_turn(rf, url)  # as if another worker were rendering the new page
    stale = client.get(url)
    assert stale.status_code == 200
    assert stale["ETag"] == before["ETag"]
    assert 0 <= int(stale["Age"]) <= turns.STALE_SECONDS
    assert stale.content == before.content
    shared_cache.delete(turn)
    time.sleep(turns.ELSEWHERE_SECONDS)  # how long this process trusts what it learnt
    current = client.get(url)
    assert current["ETag"] != before["ETag"]
    assert "Age" not in current
    assert 'aria-label="Hungary: Supports since 5 March 2024"' in current.content.decode()


def test_a_page_older_than_a_few_seconds_is_not_served_while_the_new_one_renders(
    client, rf, question, monkeypatch
):
    url = reverse("question", args=[question.slug])
    before = client.get(url)
    record(question, "HU", "yes", "2024-03-05")
    hold_the_turn(rf, url)
    monkeypatch.setattr(turns, "STALE_SECONDS", -1)  # every previous page is too old
    monkeypatch.setattr(turns, "wait_for", lambda key, find: None)  # the renderer never ends
    response = client.get(url)
    assert response["ETag"] != before["ETag"]  # rendered by this request itself
    assert "Age" not in response


@pytest.mark.parametrize("heard", [True, False])
def test_two_edits_after_a_quiet_spell_readers_get_the_page_before_if_it_was_current_lately(
    client, rf, question, monkeypatch, heard
):
    """A page two revisions behind stopped being current when the revision after its own was
    made, which this process's listener heard (revisions.made_at); its render a minute before,
    in a quiet spell, says nothing of that. Unheard of, the render's time bounds its age."""
    url = reverse("question", args=[question.slug])
    before = client.get(url)
    latest = latest_key(rf.get(url))
    page = caches["local"].get(latest)
    rendered_a_minute_ago = dataclasses.replace(page, rendered_at=time.time() - 60)
    for cache in (caches["local"], shared_cache):
        cache.set(latest, rendered_a_minute_ago)
    record(question, "HU", "no", "2024-03-05")
    record(question, "HU", "yes", "2024-03-06")
    a_moment_ago = timezone.now() - datetime.timedelta(seconds=1)
    made = {page.revision + 1: a_moment_ago} if heard else {}
    monkeypatch.setattr(revisions, "made_at", made.get)
    hold_the_turn(rf, url)  # another worker renders the new page
    monkeypatch.setattr(turns, "wait_for", lambda key, find: None)  # and never ends
    response = client.get(url)
    if heard:
        assert response["ETag"] == before["ETag"] and 1 <= int(response["Age"]) <= 2
    else:
        assert response["ETag"] != before["ETag"]  # a minute is too old: rendered here
        assert "Age" not in response


def test_the_age_of_a_page_is_counted_from_when_it_stopped_being_current(monkeypatch):
    now = time.time()

    def moment(seconds_ago):
        return datetime.datetime.fromtimestamp(now - seconds_ago, datetime.UTC)

    def age(revision):
        page = types.SimpleNamespace(revision=revision, rendered_at=now - 60)
        return turns.staleness(page, Revision(number=10, changed_at=moment(2)), now)

    monkeypatch.setattr(revisions, "made_at", {8: moment(3)}.get)
    assert age(7) == pytest.approx(3)  # 8 came 3 s ago
    assert age(9) == pytest.approx(2)  # 10, the current revision, came 2 s ago
    assert age(6) == pytest.approx(60)  # 7 unheard of: since its render, at most
    assert age(10) == age(11) == 0


def test_for_a_moment_readers_get_the_page_before_without_asking_the_shared_cache_again(
    client, rf, question, monkeypatch
):
    url = reverse("question", args=[question.slug])
    before = client.get(url)
    record(question, "HU", "yes", "2024-03-05")
    hold_the_turn(rf, url)
    assert client.get(url)["ETag"] == before["ETag"]  # learns that another process renders
    asked = []
    monkeypatch.setattr(shared_cache, "get", lambda key: asked.append(key))
    monkeypatch.setattr(shared_cache, "get_many", lambda keys: asked.append(keys) or {})
    monkeypatch.setattr(shared_cache, "add", lambda *args: asked.append(args) or False)
    monkeypatch.setattr(
        shared_cache,
        "take_turn_unless_stored",
        lambda *args, **kw: asked.append(args) or (False, {}),
    )
    # Nor looks the address up among the public pages, nor its latest page: as a hit does.
    is_public = caching.is_public
    monkeypatch.setattr(caching, "is_public", lambda request: asked.append(1) or is_public(request))
    stale = client.get(url)
    assert stale["ETag"] == before["ETag"]
    assert "Age" in stale
    assert asked == []
    time.sleep(turns.ELSEWHERE_SECONDS)
    client.get(url)
    assert asked  # then asks again whether the new page is ready


def test_a_page_served_in_place_of_a_later_one_tells_its_age_as_it_grows(client, rf, question):
    url = reverse("question", args=[question.slug])
    client.get(url)
    page = caches["local"].get(latest_key(rf.get(url)))
    stand_in = dataclasses.replace(page, stale_since=time.time() - 3.5)
    assert stand_in.response(rf.get(url))["Age"] == "3"
    assert "Age" not in page.response(rf.get(url))


def test_a_reader_gets_the_render_under_way_whatever_its_revision(
    client, rf, question, monkeypatch
):
    # The turn is the address's: another process may be rendering a revision this one has
    # moved past (or not heard of yet). Its reader takes that render rather than waiting for
    # it and then rendering its own, which made readers wait twice while edits streamed in.
    url = reverse("question", args=[question.slug])
    client.get(url)
    latest = latest_key(rf.get(url))
    page = caches["local"].get(latest)
    record(question, "HU", "no", "2024-03-05")
    record(question, "HU", "yes", "2024-03-06")
    monkeypatch.setattr(turns, "STALE_SECONDS", -1)  # the page before is too old to serve
    turn = hold_the_turn(rf, url)  # another worker renders the revision in between
    waiting, wait_for = threading.Event(), turns.wait_for
    monkeypatch.setattr(turns, "wait_for", lambda *args: waiting.set() or wait_for(*args))

    def other_worker_stores_its_render():
        waiting.wait(10)  # the reader waits for the render from now on
        time.sleep(0.1)
        elsewhere = dataclasses.replace(
            page,
            gzipped=gzip.compress(b"rendered elsewhere"),
            revision=page.revision + 1,
            rendered_at=time.time(),
        )
        shared_cache.set(latest, elsewhere)
        shared_cache.delete(turn)

    worker = threading.Thread(target=other_worker_stores_its_render)
    worker.start()
    response = client.get(url)
    worker.join()
    assert response.content == b"rendered elsewhere"
    assert "Age" in response


def hungary(response) -> str:
    return re.search(r'aria-label="Hungary: ([^"]+)"', response.content.decode()).group(1)


def test_under_a_stream_of_edits_a_page_is_rendered_at_most_once_a_second(
    client, question, settings
):
    settings.PAGE_RENDER_INTERVAL_SECONDS = 1
    url = reverse("question", args=[question.slug])
    assert hungary(client.get(url)) == "Undecided since 1 March 2024"
    record(question, "HU", "no", "2024-03-05")
    # One edit after a quiet spell: on the very next request.
    first = client.get(url)
    assert hungary(first) == "Opposes since 5 March 2024" and "Age" not in first
    record(question, "HU", "yes", "2024-03-06")
    # A second one within the second: the page of a moment ago, with its age.
    waited = client.get(url)
    assert hungary(waited) == "Opposes since 5 March 2024"
    assert waited["ETag"] == first["ETag"] and 0 <= int(waited["Age"]) <= 1
    time.sleep(1.05)
    assert hungary(client.get(url)) == "Supports since 6 March 2024"


def test_while_edits_keep_coming_the_renders_stay_an_interval_apart(client, question, settings):
    # Not in pairs: the render that ends a wait still counts as part of the stream, so the edit
    # right after it waits its turn too.
    settings.PAGE_RENDER_INTERVAL_SECONDS = 1
    url = reverse("question", args=[question.slug])
    client.get(url)
    record(question, "HU", "no", "2024-03-05")
    client.get(url)  # after a quiet spell: rendered at once
    record(question, "HU", "yes", "2024-03-06")
    assert hungary(client.get(url)) == "Opposes since 5 March 2024"  # waits its turn
    time.sleep(1.05)
    after_the_wait = client.get(url)
    assert hungary(after_the_wait) == "Supports since 6 March 2024" and "Age" not in after_the_wait
    record(question, "HU", "no", "2024-03-07")
    waited = client.get(url)
    assert hungary(waited) == "Supports since 6 March 2024"  # not a second render at once
    assert "Age" in waited
    time.sleep(1.05)
    assert hungary(client.get(url)) == "Opposes since 7 March 2024"
    # After a quiet spell, an edit shows on the very next request again.
    time.sleep(2.05)
    record(question, "HU", "yes", "2024-03-08")
    assert hungary(client.get(url)) == "Supports since 8 March 2024"


def test_a_render_that_ended_in_another_process_meanwhile_is_served_not_repeated(
    client, rf, question, settings
):
    settings.PAGE_RENDER_INTERVAL_SECONDS = 1
    url = reverse("question", args=[question.slug])
    client.get(url)
    record(question, "HU", "no", "2024-03-05")
    fresh = client.get(url)  # rendered at once, right after the one before: edits stream in
    latest = latest_key(rf.get(url))
    page = caches["local"].get(latest)
    # This process still holds an older render of the address as its latest; another
    # process's newer one is in the shared cache.
    caches["local"].set(latest, dataclasses.replace(page, rendered_at=page.rendered_at - 5))
    record(question, "HU", "yes", "2024-03-06")
    response = client.get(url)
    assert hungary(response) == "Opposes since 5 March 2024"  # not rendered again at once
    assert response["ETag"] == fresh["ETag"] and "Age" in response


def test_with_no_interval_every_edit_is_rendered_at_once(client, question, settings):
    settings.PAGE_RENDER_INTERVAL_SECONDS = 0
    url = reverse("question", args=[question.slug])
    client.get(url)
    for day, key, words in [(5, "no", "Opposes"), (6, "yes", "Supports"), (7, "no", "Opposes")]:
        record(question, "HU", key, f"2024-03-0{day}")
        assert hungary(client.get(url)) == f"{words} since {day} March 2024"
