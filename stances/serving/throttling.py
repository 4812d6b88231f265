"""Sign-in throttling: which address and which account a failed attempt counts against."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# AccessAttempt.username and AccessFailureLog.username are CharField(max_length=255).
USERNAME_STORED_LENGTH = 255


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies of our own, the address the outermost
    one saw, read from the right of X-Forwarded-For (a client can forge only its left end).

    Without this, every request behind a load balancer would share its address, and a few
    failed sign-ins from anyone would lock out everyone.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= count and is_address(hops[-count]):
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username tried, cut to the length django-axes stores: any text may be typed, and a
    longer one would fail to save and turn a failed sign-in into a server error."""
    username = (credentials or request.POST).get("username")
    return username[:USERNAME_STORED_LENGTH] if isinstance(username, str) else username
