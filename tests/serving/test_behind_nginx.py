"""The site behind Debian's nginx, configured by docs/nginx.conf, over real HTTP."""

import http.client
import os
import shutil
import time

import pytest
from django.urls import reverse

from bench.proxy import Proxy
from tests.factories import record
from tests.serving.servers import free_port

pytestmark = [
    pytest.mark.usefixtures("committed_reference_data"),
    # CI installs nginx (.ci/run): there, a missing nginx fails rather than skips.
    pytest.mark.skipif(
        not shutil.which("nginx") and not os.environ.get("CI"),
        reason="needs nginx: apt-get install nginx",
    ),
]


@pytest.fixture
def proxy(live_server):
    app_port = int(live_server.url.rsplit(":", 1)[1])
    proxy = Proxy("127.0.0.1", free_port(), free_port(), app_port)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


def get(proxy, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_readers_share_nginx_copy_and_see_an_edit_within_two_seconds(proxy, question):
    path = reverse("question", args=[question.slug])
    first, _ = get(proxy, path)
    second, body = get(proxy, path)
    assert first.status == 200 and second.status == 200
    assert second.getheader("X-Cache-Status") == "HIT"
    assert second.getheader("X-Accel-Expires") is None  # read by nginx, not passed on
    assert b"Hungary: Undecided since 1 March 2024" in body
    record(question, "HU", "yes", "2024-03-05")
    started = time.monotonic()
    while time.monotonic() - started < 2:
        _, body = get(proxy, path)
        if b"Hungary: Supports since 5 March 2024" in body:
            break
        time.sleep(0.05)
    assert b"Hungary: Supports since 5 March 2024" in body


def test_an_editor_with_a_session_goes_past_nginx_cache(proxy, question):
    path = reverse("question", args=[question.slug])
    get(proxy, path)
    response, _ = get(proxy, path, {"Cookie": "sessionid=anything"})
    assert response.getheader("X-Cache-Status") == "BYPASS"


def test_a_foreign_host_is_closed_by_nginx(proxy, question):
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        get(proxy, "/", {"Host": "evil.example"})
