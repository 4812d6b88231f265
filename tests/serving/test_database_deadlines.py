"""A database that accepts connections and never answers: a real gunicorn (gthread, as in
production) answers 503 with Retry-After within 5 s, static files never wait for it, and the
site recovers by itself once it answers again.

The database is frozen by stopping (SIGSTOP) a TCP relay process between gunicorn and
PostgreSQL: its kernel keeps acknowledging packets, so only a client-side deadline can help.
"""

import http.client
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import make_question, record
from tests.serving.servers import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parents[2]
SLUG = "recognition"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL behind a relay that can be frozen; CI runs it on PostgreSQL.",
)


def get(port, path):
    """(status, headers, seconds) of a GET to the server."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.monotonic()
    try:
        client.request("GET", path)
        response = client.getresponse()
        response.read()
    finally:
        client.close()
    return response.status, response.headers, time.monotonic() - started


def stop(process):
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)  # a stopped process does not act on SIGTERM
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def relay():
    database = settings.DATABASES["default"]
    port = free_port()
    command = [sys.executable, str(Path(__file__).with_name("tcp_relay.py")), str(port)]
    command += [database["HOST"] or "127.0.0.1", str(database["PORT"] or 5432)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)  # noqa: S603
    process.port = port
    try:
        process.stdout.readline()  # "listening"
        yield process
    finally:
        stop(process)
        server_sessions_gone()


def server_sessions_gone():
    """Wait until PostgreSQL has ended the sessions the relay carried: the test database is
    emptied next, and a session left in a transaction would hold its locks."""
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


@pytest.fixture
def server(committed_reference_data, relay, tmp_path):
    """gunicorn, one worker of eight threads, its database behind the relay."""
    question = make_question(slug=SLUG)
    record(question, "HU", "maybe", "2024-03-10")
    process = start_gunicorn(relay.port, tmp_path, "--worker-class", "gthread", "--threads", "8")
    try:
        yield process.port
    finally:
        stop(process)


def warm(port):
    # Kept connections in several threads, as after some traffic.
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: get(port, "/api/questions")[0], range(16)))
    assert set(statuses) == {200}


def test_a_frozen_database_gives_503_within_5_s_and_static_files_keep_answering(server, relay):
    warm(server)
    os.kill(relay.pid, signal.SIGSTOP)

    status, headers, seconds = get(server, f"/questions/{SLUG}/countries/hu/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert seconds < 5

    static = get(server, "/static/stances/site.css")
    assert static[0] == 200 and static[2] < 0.5


def waiting_pages(port, count):
    """Submit `count` API requests (each with a page number of its own, so none is cached)."""
    pool = ThreadPoolExecutor(count)
    pages = [pool.submit(get, port, f"/api/questions?page={n}") for n in range(count)]
    time.sleep(0.5)  # they are now waiting on the database
    return pool, pages


def test_static_files_answer_at_once_while_requests_wait_for_a_frozen_database(server, relay):
    warm(server)
    os.kill(relay.pid, signal.SIGSTOP)

    pool, pages = waiting_pages(server, 6)  # of the worker's eight threads
    static = get(server, "/static/stances/site.js")
    results = [page.result() for page in pages]
    pool.shutdown()
    assert static[0] == 200 and static[2] < 0.5
    assert {status for status, _, _ in results} == {503}
    assert max(seconds for _, _, seconds in results) < 5


def test_with_every_thread_waiting_each_request_still_answers_within_5_s(server, relay):
    warm(server)
    os.kill(relay.pid, signal.SIGSTOP)

    # Twelve requests for eight threads: the last four, and a static file, wait for a thread
    # that the deadline frees, not for the whole outage.
    pool, pages = waiting_pages(server, 12)
    static = get(server, "/static/stances/site.js")
    results = [page.result() for page in pages]
    pool.shutdown()
    assert static[0] == 200 and static[2] < 5
    assert {status for status, _, _ in results} == {503}
    assert max(seconds for _, _, seconds in results) < 5


def test_the_site_answers_again_by_itself_once_the_database_does(server, relay):
    warm(server)
    os.kill(relay.pid, signal.SIGSTOP)
    assert get(server, "/api/changes?page=2")[0] == 503

    os.kill(relay.pid, signal.SIGCONT)
    # For a few seconds after a deadline ran out the process does not try the database.
    deadline = time.monotonic() + 5
    while get(server, "/api/changes")[0] != 200:
        assert time.monotonic() < deadline, "still 503 long after the database answered again"
        time.sleep(0.2)
    assert get(server, f"/questions/{SLUG}/countries/hu/")[0] == 200


TIMEOUTS = ("statement_timeout", "idle_in_transaction_session_timeout", "wait_deadline")
SHOW_TIMEOUTS = """
from django.db import connection
with connection.cursor() as cursor:
    for name in ("statement_timeout", "idle_in_transaction_session_timeout"):
        cursor.execute(f"SHOW {name}")
        print(name, cursor.fetchone()[0])
print("wait_deadline", connection.connection.wait_deadline)
"""


def timeouts_seen_by(command):
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}",
        "DJANGO_SETTINGS_MODULE": "stances.settings",
        "DATABASE_TIMEOUT_SECONDS": "3",
    }
    output = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    seen = dict(line.split(" ", 1) for line in output.splitlines() if " " in line)
    return {name: seen[name] for name in TIMEOUTS}


def test_a_web_process_connection_carries_the_deadlines(db):
    setup = "import django; django.setup()\n"
    assert timeouts_seen_by([sys.executable, "-c", setup + SHOW_TIMEOUTS]) == {
        "statement_timeout": "3s",
        "idle_in_transaction_session_timeout": "30s",
        "wait_deadline": "3.5",
    }


def test_management_commands_run_without_a_deadline(db):
    seen = timeouts_seen_by([sys.executable, "manage.py", "shell", "-c", SHOW_TIMEOUTS])
    assert seen == {
        "statement_timeout": "0",
        "idle_in_transaction_session_timeout": "0",
        "wait_deadline": "None",
    }
