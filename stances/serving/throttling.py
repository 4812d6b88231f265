"""Sign-in throttling: which account a failed attempt counts against; the address
it counts against is stances.clients.client_address's."""

import datetime
import math

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# AccessAttempt.username and AccessFailureLog.username are CharField(max_length=255).
USERNAME_STORED_LENGTH = 255


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username tried, cut to the length django-axes stores: any text may be typed, and a
    longer one would fail to save and turn a failed sign-in into a server error."""
    username = (credentials or request.POST).get("username")
    return username[:USERNAME_STORED_LENGTH] if isinstance(username, str) else username


def pause_left(request: HttpRequest, credentials: dict | None = None) -> datetime.timedelta:
    """How long the sign-in pause has to run: from the failure that started it, which later
    attempts do not move (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off)."""
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    locked = AccessAttempt.objects.filter(
        Q(username=attempted_username(request, credentials))
        | Q(ip_address=getattr(request, "axes_ip_address", None)),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    )
    started = locked.aggregate(latest=Max("attempt_time"))["latest"]
    if started is None:
        return cool_off
    return max(started + cool_off - timezone.now(), datetime.timedelta(seconds=1))


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs):
    """The 429 of a paused sign-in: how long is left, in the page and in Retry-After."""
    left = pause_left(request, credentials)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes_left": math.ceil(left.total_seconds() / 60),
    }
    response: HttpResponse = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    response["Retry-After"] = str(math.ceil(left.total_seconds()))
    return response
