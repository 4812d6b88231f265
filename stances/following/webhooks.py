"""Newsrooms' webhooks: who may be called, and one signed POST (Standard Webhooks).

The address is resolved once, checked, and the connection made to that very address, so that
a name that resolves elsewhere on the second look (DNS rebinding) cannot reach inside.
Redirects are not followed: the receiver must answer at the address it registered.
"""

import base64
import binascii
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

USER_AGENT = "Stances-Webhooks/1.0"


class RefusedAddress(ValueError):
    """A webhook address we will not call, with the reason."""


def new_secret() -> str:
    """A secret in the form Standard Webhooks libraries read: whsec_ and 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def is_secret(text: str) -> bool:
    """Whether `text` is a secret as Standard Webhooks libraries read it."""
    try:
        key = base64.b64decode(text.removeprefix("whsec_"), validate=True)
    except binascii.Error:
        return False
    return text.startswith("whsec_") and len(key) >= 16


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, the address to connect to), or RefusedAddress saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress(_("The address must start with https:// and name a host."))
    if parts.scheme != "https" and settings.WEBHOOK_REQUIRE_HTTPS:
        raise RefusedAddress(
            _(
                "Only https:// addresses are allowed: over plain HTTP the secret-signed changes "
                "travel in the clear, and a receiver behind a proxy may not check the signature."
            )
        )
    if parts.username or parts.password:
        raise RefusedAddress(
            _("Put no user name or password in the address; the signature authenticates us.")
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as error:
        raise RefusedAddress(
            _("%(host)s could not be resolved (%(error)s).")
            % {"host": parts.hostname, "error": error}
        ) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    for address in addresses:
        if not _may_call(address):
            raise RefusedAddress(
                _(
                    "%(host)s resolves to %(address)s, a private, loopback or link-local "
                    "address: webhooks go only to public hosts."
                )
                % {"host": parts.hostname, "address": address}
            )
    return parts.scheme, parts.hostname, port, str(addresses[0])


def _may_call(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    if address.is_loopback and settings.WEBHOOK_ALLOW_LOOPBACK:
        return True
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Outcome:
    duration_ms: int
    status_code: int | None = None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked for the host name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, secret: str, message_id: str, body: dict) -> Outcome:
    """POST `body` once, signed; what came back, or why nothing did. Never raises."""
    started = time.monotonic()

    def took() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        scheme, host, port, address = check_url(url)
    except RefusedAddress as error:
        return Outcome(took(), error=str(error)[:300])
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    # In UTC: the library reads the time as UTC whatever zone it is given.
    now = datetime.now(UTC)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, data),
    }
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=data.encode(), headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # enough to be polite; the body is not kept
        return Outcome(took(), status_code=response.status)
    except (OSError, http.client.HTTPException) as error:
        return Outcome(took(), error=f"{type(error).__name__}: {error}"[:300] or "no answer")
    finally:
        connection.close()
