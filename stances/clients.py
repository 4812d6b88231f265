"""Who is asking: the reader's network address, for everything that throttles by it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
