"""The second factor editors and admins pass after their password (TOTP, recovery codes).

django-otp's middleware says whether this session's sign-in was verified by a device; the
device's id lives in the session, so the session's idle and day deadlines end it too. Until
then an editor or admin can reach only the second step and sign-out: no editing, no admin.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from stances.permissions import holds_editor_role

# The pages an unverified editor may still open: the steps themselves, signing out, and the
# language switcher (which only sets a cookie and sends them back, through this check again).
OPEN_PATHS = ("/accounts/second-step/", "/accounts/logout/", "/static/", "/language/")


def needs_second_factor(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or holds_editor_role(user)


def is_pending(user) -> bool:
    """Signed in with a password, but not yet through the second step."""
    return needs_second_factor(user) and not user.is_verified()


def safe_next(request, value: str | None) -> str:
    """Where to go afterwards: only an address on this site, else the home page."""
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if value and allowed else "/"


def second_step_url(next_url: str) -> str:
    return f"{reverse('second_step')}?{urlencode({'next': next_url})}"


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: sends a pending editor to the second step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or request.path.startswith(OPEN_PATHS) or not is_pending(user):
            return self.get_response(request)
        next_url = request.get_full_path()
        if getattr(request, "htmx", False):
            next_url = request.htmx.current_url_abs_path or next_url
            return HttpResponseClientRedirect(second_step_url(next_url))
        if next_url.startswith(reverse("admin:login")):
            # The admin's own sign-in ends at the same second step, then goes where it meant to.
            next_url = request.GET.get("next", "/admin/")
        return redirect(second_step_url(next_url))
