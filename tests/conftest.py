import pytest
import redis
import redis.connection
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from tests.factories import make_editor, sign_in_verified


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is slow on purpose; these tests are about behaviour, not its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _revision_listener_off(settings):
    # Its connection would keep the test database from being dropped at the end; the tests
    # that are about it (test_revisions.py) turn it on and stop it.
    settings.REVISION_LISTENER = False


@pytest.fixture(autouse=True)
def _every_revision_rendered(settings):
    # Tests write and read within milliseconds, and most expect each edit on the next page;
    # tests/serving/test_turns.py turns the interval back on where it is what they check.
    settings.PAGE_RENDER_INTERVAL_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_cache():
    from stances.reading import kept
    from stances.serving import render_budget

    for each in caches.all():
        each.clear()
    kept.forget_all()  # a rolled-back test may have raised the reference revision
    render_budget.forget_clients_over()  # every test's client has the same address
    yield
    for each in caches.all():
        each.clear()
    kept.forget_all()
    render_budget.forget_clients_over()


@pytest.fixture
def shared_cache_away():
    """Use as `with shared_cache_away:`: the shared cache is a Redis where nothing listens.

    A block rather than the settings fixture, so that it ends before the caches are cleared."""
    return override_settings(
        CACHES={
            **settings.CACHES,
            "default": {
                "BACKEND": "stances.serving.redis_cache.Cache",
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            },
        }
    )


REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def redis_shared_cache(settings):
    """The shared cache is a real Redis, as in production (skipped where there is none)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Needs Redis on 127.0.0.1:6379; CI has it.")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "stances.serving.redis_cache.Cache", "LOCATION": REDIS_URL},
    }
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def redis_round_trips(monkeypatch):
    """A list that gets an item for each request sent to Redis (a pipeline is one)."""
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, command, check_health=True):
        sent.append(command)
        return send(connection, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    return sent


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's (a client of its own), through the second factor as every admin's
    sign-in is."""
    from django.test import Client

    client = Client()
    sign_in_verified(client, admin_user)
    return client


@pytest.fixture
def editor_client(client, editor):
    """An editor through both steps of the sign-in (password and second factor)."""
    sign_in_verified(client, editor)
    return client


@pytest.fixture
def committed_reference_data(transactional_db):
    """For tests whose data must be committed (live server, several connections): each such
    test ends by emptying every table, so the reference data the migrations seed is put back."""
    from stances.models import MemberState
    from stances.permissions import ensure_editors_group
    from stances.reference import seed_member_states

    seed_member_states(MemberState)
    ensure_editors_group()
