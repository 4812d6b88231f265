"""Signed-in sessions that end: after an idle hour, and after a working day whatever happens.

A session's cookie lives SESSION_COOKIE_AGE (the idle hour); each request that comes more than
a minute after the last one moves it on, so that a busy editor's session is written about once
a minute rather than on every request. The day is counted from the sign-in.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError

from stances.serving.middleware import service_unavailable

SIGNED_IN_AT = "stances_signed_in_at"
SEEN_AT = "stances_seen_at"
TOUCH_EVERY_SECONDS = 60


def note_sign_in(sender, request, user, **kwargs):
    """On user_logged_in (connected in apps.py): the working day starts now."""
    if request is None:
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


class SessionDeadlinesMiddleware:
    """After AuthenticationMiddleware: ends sessions past their deadlines, touches the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                self.check(request)
        except (OperationalError, InterfaceError):
            # The session and the user are read here, before any view: a database that is
            # away gets the same 503 a view would give, not a 500.
            return service_unavailable()
        return self.get_response(request)

    @staticmethod
    def check(request) -> None:
        now = int(time.time())
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        idle = now - seen_at > settings.SESSION_COOKIE_AGE
        if idle or now - signed_in_at > settings.SESSION_MAX_SECONDS:
            logout(request)  # the next page asks to sign in again
            return
        session.setdefault(SIGNED_IN_AT, signed_in_at)
        if now - seen_at >= TOUCH_EVERY_SECONDS:
            session[SEEN_AT] = now  # marks the session modified: the cookie's hour starts again
