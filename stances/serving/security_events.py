"""Security events as structured log lines (logger `stances.security`, one JSON object per
line) and as rows the admins can list: failed sign-ins, pauses, sign-ins and 403s."""

import datetime
import json
import logging

from django.conf import settings
from django.utils import timezone
from django.views import defaults

from stances.clients import client_address, is_address
from stances.models import SecurityEvent
from stances.serving.throttling import attempted_username

logger = logging.getLogger("stances.security")


def record(kind: str, request, username: str = "") -> None:
    address = client_address(request) if request is not None else ""
    path = request.path[:300] if request is not None else ""
    event = SecurityEvent.objects.create(
        kind=kind,
        username=(username or "")[:255],
        address=address if is_address(address) else None,
        path=path,
    )
    line = {"event": kind, "at": event.at.isoformat(), "user": username, "address": address}
    logger.warning(json.dumps({**line, "path": path}, ensure_ascii=False))


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    """Every failure, those during a pause too: an attack that goes on shows as one."""
    record(SecurityEvent.Kind.SIGN_IN_FAILED, request, attempted_username(request, credentials))


def on_paused(sender, request=None, username=None, **kwargs):
    """Once when a pause starts (django-axes says so again at each attempt during it)."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    address = client_address(request) if request is not None else ""
    already = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SIGN_IN_PAUSED, username=username or "", at__gte=since
    ).filter(address=address if is_address(address) else None)
    if not already.exists():
        record(SecurityEvent.Kind.SIGN_IN_PAUSED, request, username or "")


def on_signed_in(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "META"):
        record(SecurityEvent.Kind.SIGNED_IN, request, user.get_username() if user else "")


def permission_denied(request, exception):
    """The site's 403 (urls.py's handler403), noted first."""
    user = getattr(request, "user", None)
    username = user.get_username() if user is not None and user.is_authenticated else ""
    record(SecurityEvent.Kind.FORBIDDEN, request, username)
    return defaults.permission_denied(request, exception)
