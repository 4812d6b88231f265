"""The database goes away and comes back: a real gunicorn answers 503 with Retry-After at once,
then serves pages again by itself, with the same workers.

The server reaches PostgreSQL through a small TCP relay run by the test; switching the relay
off is, for the server, exactly PostgreSQL stopping: open connections drop and new ones are
refused.
"""

import contextlib
import http.client
import socket
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import InterfaceError, connection
from django.test import Client
from django.urls import path

from stances import urls as site_urls
from tests.factories import make_editor, make_question, record, sign_in_verified
from tests.serving.servers import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parents[2]
SLUG = "recognition"

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL to stop and start under a server; CI runs it on PostgreSQL.",
)


def database_away(request):
    raise InterfaceError("connection already closed")


urlpatterns = [path("test/database-away/", database_away), *site_urls.urlpatterns]


class Relay:
    """Forwards TCP connections from a local port to the database, until switched off."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.sockets = []
        self.lock = threading.Lock()
        self.on()

    def on(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def off(self):
        if self.listener is None:
            return
        close(self.listener)
        self.listener = None
        with self.lock:
            for sock in self.sockets:
                close(sock)
            self.sockets.clear()

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    def pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        close(sink)


def close(sock):
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def get(server, path, cookie=""):
    """(status, headers, body, seconds) of a GET to the server."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    started = time.monotonic()
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    return response.status, response.headers, body, time.monotonic() - started


def workers(server) -> set[str]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    return set(children.split())


@pytest.fixture
def question(committed_reference_data):
    question = make_question(slug=SLUG)
    record(question, "HU", "maybe", "2024-03-10")
    return question


@pytest.fixture
def relay():
    database = settings.DATABASES["default"]
    relay = Relay((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    yield relay
    relay.off()


@pytest.fixture
def server(question, relay, tmp_path):
    """gunicorn with one worker, its database behind the relay."""
    process = start_gunicorn(relay.port, tmp_path)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.urls(__name__)
def test_a_lost_database_connection_gets_the_503_page_not_a_server_error(client, db):
    response = client.get("/test/database-away/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "Back shortly" in response.content.decode()


@needs_postgresql
def test_pages_answer_503_while_the_database_is_away_then_recover_by_themselves(server, relay):
    page = f"/questions/{SLUG}/"
    assert get(server, page)[0] == 200
    before = workers(server)

    relay.off()
    # The worker hears of the loss on its LISTEN connection (stances/revisions.py) within
    # moments; until then it may still serve a page it holds for the revision it knows.
    deadline = time.monotonic() + 3
    while get(server, page)[0] != 503:
        assert time.monotonic() < deadline, "still serving pages long after the database went"
        time.sleep(0.05)
    for address in (page, "/", "/countries/hu/"):
        status, headers, body, seconds = get(server, address)
        assert status == 503
        assert seconds < 5
        assert headers["Retry-After"] == "30"
        assert "Back shortly" in body
        assert "Traceback" not in body and "OperationalError" not in body
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]

    relay.on()
    status, _, body, _ = get(server, page)
    assert status == 200
    assert "Hungary" in body
    assert workers(server) == before
    assert server.poll() is None


@needs_postgresql
def test_a_signed_in_editor_gets_the_same_503_page(server, relay):
    client = Client()
    sign_in_verified(client, make_editor())
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    page = f"/questions/{SLUG}/"
    assert get(server, page, cookie)[0] == 200

    relay.off()
    status, headers, body, seconds = get(server, page, cookie)
    assert (status, headers["Retry-After"]) == (503, "30")
    assert seconds < 5
    assert "Back shortly" in body

    relay.on()
    assert get(server, f"/questions/{SLUG}/countries/hu/edit/", cookie)[0] == 200
