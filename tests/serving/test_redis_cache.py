"""The shared cache's backend: Django's Redis cache, with one client per connection pool."""

import threading

import pytest
import redis

from stances.serving.redis_cache import Cache

URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Needs Redis on 127.0.0.1:6379; CI has it.")
    cache = Cache(URL, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    yield cache
    cache.clear()


def test_it_stores_and_reads_from_every_thread_with_one_client(cache):
    def work(n):
        cache.set(f"key-{n}", n)
        assert cache.get(f"key-{n}") == n

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get_many([f"key-{n}" for n in range(8)]) == {f"key-{n}": n for n in range(8)}
    assert len(cache._cache._clients) == 1  # one pool, one client, however many threads


def test_a_redis_that_is_away_is_an_error_the_callers_handle():
    away = Cache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    with pytest.raises(redis.ConnectionError):
        away.get("anything")


def test_a_counter_is_added_to_in_one_round_trip_from_every_thread(cache):
    def work():
        for _ in range(25):
            cache.add_to_counter("counter", 3, 60)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("counter") == 8 * 25 * 3
    client = cache._cache.get_client()
    assert 0 < client.ttl(cache.make_key("counter")) <= 60


def test_a_turn_is_taken_and_keys_looked_up_in_one_round_trip(cache, redis_round_trips):
    cache.set("latest", "the page before")
    cache.take_turn_unless_stored("another-turn", 1, 10, "another-page")  # Redis learns the script
    redis_round_trips.clear()  # and the connection's own greetings
    taken = cache.take_turn_unless_stored("turn", 1, 10, "page", also=["latest", "absent"])
    assert taken == (True, {"latest": "the page before"})
    assert len(redis_round_trips) == 1
    assert 0 < cache._cache.get_client().ttl(cache.make_key("turn")) <= 10
    assert cache.take_turn_unless_stored("turn", 1, 10, "page") == (False, {})  # taken already


def test_no_turn_is_taken_for_a_page_already_stored(cache, redis_round_trips):
    cache.set("page", "stored")
    cache.set("latest", "stored")
    cache.take_turn_unless_stored("another-turn", 1, 10, "another-page")  # Redis learns the script
    redis_round_trips.clear()
    found = cache.take_turn_unless_stored("turn", 1, 10, "page", also=["latest"])
    assert found == (False, {"page": "stored"})  # the page alone: the latest is not needed
    assert len(redis_round_trips) == 1
    assert cache.get("turn") is None


def test_a_page_the_turns_release_and_a_charge_go_in_one_round_trip(cache, redis_round_trips):
    cache.set("turn", 1)
    cache.set("counter", 5)
    redis_round_trips.clear()
    counts = cache.write_many(
        {"page": "new", "latest": "new"},
        60,
        delete=["turn"],
        counts=[("counter", 3, 65), ("fresh", 7, 65)],
    )
    assert len(redis_round_trips) == 1
    assert counts == [8, 7]
    assert cache.get_many(["page", "latest", "turn"]) == {"page": "new", "latest": "new"}
    client = cache._cache.get_client()
    assert 0 < client.ttl(cache.make_key("page")) <= 60
    assert 0 < client.ttl(cache.make_key("fresh")) <= 65
