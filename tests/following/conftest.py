"""Real peers for the following tests: an SMTP server and a webhook receiver in this process."""

import email
import email.policy
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Inbox:
    """What the SMTP server received, parsed as a mail client would."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port; the site sends its mail there."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://stances.example.org"
    yield inbox
    controller.stop()


def follow(email, frequency="instant", **subject):
    """A confirmed subscription of `email` (to everything, unless a subject is given)."""
    from stances.models import Follower, Subscription

    follower, _ = Follower.objects.get_or_create(email=email)
    return Subscription.objects.create(follower=follower, frequency=frequency, **subject)


def run_worker():
    """Run every task that is due, as `manage.py stances_worker` does, until none is left.

    In this process, inside the test's transaction: the worker's check for stale connections
    would close the connection that holds it (PostgreSQL), so it is left out here.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("stances_worker", batch=True, reload=False, verbosity=0, startup_delay=False)


@dataclass
class Received:
    message_id: str
    verified: bool
    payload: dict
    headers: dict


@dataclass
class Receiver:
    """A newsroom's endpoint: checks each signature, answers as told."""

    secret: str
    url: str = ""
    answers: list = field(default_factory=list)  # status codes to give, in turn; then 204
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)

    def answer(self) -> int:
        return self.answers.pop(0) if self.answers else 204


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {key.lower(): value for key, value in self.headers.items()}
            try:
                Webhook(receiver.secret).verify(body, headers)
                verified = True
            except WebhookVerificationError:
                verified = False
            receiver.received.append(
                Received(headers.get("webhook-id", ""), verified, json.loads(body), headers)
            )
            time.sleep(receiver.delay)
            status = receiver.answer()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver(settings):
    from stances.following.webhooks import new_secret

    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_REQUIRE_HTTPS = False
    settings.SITE_URL = "https://stances.example.org"
    found = Receiver(secret=new_secret())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    server.daemon_threads = True
    found.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/stances"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield found
    server.shutdown()
    server.server_close()
