"""Each client has a share of the time the site spends rendering: past it, new pages get a 429
with Retry-After until the minute is over, while pages already cached still come; another
client, a signed-in editor, or any client once the cache is away, is not held back."""

import json

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from stances import shared_cache
from stances.serving import render_budget

pytestmark = pytest.mark.django_db

HOME = "127.0.0.1"  # the test client's address


def spend_share(address: str) -> None:
    """The client at `address` has rendered a whole share's worth this minute."""
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    render_budget.charge(request, render_budget.settings.RENDER_BUDGET_SECONDS + 1)


def spent(address: str) -> int:
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    window, _left = render_budget._window(render_budget.time.time())
    return cache.get(render_budget._key(render_budget.client_key(request), window), 0)


def map_url(question, **query):
    url = reverse("question", args=[question.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_past_its_share_a_client_gets_429_for_new_pages_and_cached_ones_still(client, question):
    assert client.get(map_url(question)).status_code == 200  # rendered, and now cached
    spend_share(HOME)
    assert client.get(map_url(question)).status_code == 200
    refused = client.get(map_url(question, as_of="2024-03-05"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    body = refused.content.decode()
    assert "<h1>Too many new pages</h1>" in body and 'role="alert"' in body


def test_the_refusal_comes_in_the_form_the_address_answers_in(client, question):
    spend_share(HOME)
    api = client.get(reverse("api_stances", args=[question.slug]))
    assert api.status_code == 429 and "new pages" in api.json()["error"]
    compared = client.get(
        reverse("question_compare_json", args=[question.slug]),
        {"from": "2024-03-01", "to": "2024-03-10"},
    )
    assert compared.status_code == 429 and json.loads(compared.content)["error"]
    csv = client.get(reverse("question_export_csv", args=[question.slug]))
    assert csv.status_code == 429 and csv["Content-Type"].startswith("text/plain")
    fragment = client.get(
        map_url(question, as_of="2024-03-05"),
        headers={"HX-Request": "true", "HX-Target": "snapshot"},
    )
    assert fragment.status_code == 429
    assert fragment.content.decode().startswith('<p class="form-errors" role="alert">')
    assert all(r["Retry-After"] for r in (api, compared, csv, fragment))


def test_renders_are_counted_and_cached_pages_are_not(client, question):
    client.get(map_url(question))
    after_render = spent(HOME)
    assert after_render > 0
    client.get(map_url(question))
    assert spent(HOME) == after_render


def test_another_address_still_gets_its_pages(client, question):
    spend_share(HOME)
    other = client.get(map_url(question, as_of="2024-03-05"), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_the_addresses_of_one_ipv6_network_share_one_budget(client, question):
    spend_share("2001:db8:1:2::1")
    url = map_url(question, as_of="2024-03-05")
    assert client.get(url, REMOTE_ADDR="2001:db8:1:2:ffff::5").status_code == 429
    assert client.get(url, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_an_ipv4_client_seen_through_an_ipv6_socket_is_itself(client, question):
    spend_share("198.51.100.7")
    url = map_url(question, as_of="2024-03-05")
    assert client.get(url, REMOTE_ADDR="::ffff:198.51.100.7").status_code == 429
    assert client.get(url, REMOTE_ADDR="::ffff:198.51.100.8").status_code == 200


def test_a_signed_in_editor_is_never_held_back(editor_client, question):
    spend_share(HOME)
    response = editor_client.get(map_url(question, as_of="2024-03-05"))
    assert response.status_code == 200


def test_the_next_minute_brings_a_new_share(client, question, monkeypatch):
    spend_share(HOME)
    url = map_url(question, as_of="2024-03-05")
    assert client.get(url).status_code == 429
    now = render_budget.time.time()
    monkeypatch.setattr(render_budget.time, "time", lambda: now + 60)
    response = client.get(url)
    assert response.status_code == 200 and "As of" in response.content.decode()


def test_while_the_shared_cache_is_away_nobody_is_counted(client, question, shared_cache_away):
    with shared_cache_away:
        response = client.get(map_url(question, as_of="2024-03-05"))
    assert response.status_code == 200


def test_no_budget_when_it_is_turned_off(client, question, settings):
    settings.RENDER_BUDGET_SECONDS = 0
    spend_share(HOME)
    assert client.get(map_url(question, as_of="2024-03-05")).status_code == 200


def test_it_counts_in_redis_too(client, question, redis_shared_cache):
    assert client.get(map_url(question)).status_code == 200
    assert spent(HOME) > 0
    spend_share(HOME)
    assert client.get(map_url(question, as_of="2024-03-05")).status_code == 429


def test_a_client_over_in_another_process_gets_one_more_render_here(client, question):
    window, _left = render_budget._window(render_budget.time.time())
    key = render_budget._key(render_budget.client_key(RequestFactory().get("/")), window)
    shared_cache.count(key, 60_000, 65)  # as another process's renders left the count
    assert client.get(map_url(question, as_of="2024-03-05")).status_code == 200
    assert client.get(map_url(question, as_of="2024-03-06")).status_code == 429


def test_a_crowd_of_clients_over_leaves_only_this_windows_in_memory(monkeypatch):
    monkeypatch.setattr(render_budget, "_OVER_SIZE", 3)
    now = render_budget.time.time()
    monkeypatch.setattr(render_budget.time, "time", lambda: now - 60)
    for n in range(3):
        spend_share(f"198.51.100.{n}")
    monkeypatch.setattr(render_budget.time, "time", lambda: now)
    spend_share("198.51.100.9")
    assert len(render_budget._over) == 1
