"""How the project's urls.py serves each wing's addresses: cached for everyone, or framed.

The wings' views stay plain functions; which of their answers may be shared, and which page
other sites may show in an <iframe>, is decided in one place, next to the addresses.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.urls import URLPattern
from django.utils.translation import gettext as _

from stances.serving.caching import public_page
from stances.serving.framing import allow_framing


def public(patterns: Iterable[URLPattern], *, same_for_everyone=False) -> list[URLPattern]:
    """These addresses, read-only, cached and revalidated on the revision (see `public_page`)."""
    return wrapped(
        patterns,
        lambda view: read_only(public_page(view, same_for_everyone=same_for_everyone)),
    )


READ_METHODS = ("GET", "HEAD")
ALLOW = "GET, HEAD, OPTIONS"


def read_only(view: Callable) -> Callable:
    """GET and HEAD reach the view; OPTIONS says what is allowed, with no body; anything else
    is a 405 with Allow (JSON under /api/), never the page nor a CSRF refusal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in READ_METHODS:
            return view(request, *args, **kwargs)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        elif request.path.startswith("/api/"):
            message = _("%(method)s is not allowed here: the API only reads (GET, HEAD).")
            response = JsonResponse({"error": message % {"method": request.method}}, status=405)
        else:
            message = _("%(method)s is not allowed here: this address only reads.") % {
                "method": request.method
            }
            response = HttpResponse(message, status=405, content_type="text/plain; charset=utf-8")
        response["Allow"] = ALLOW
        return response

    # Nothing here writes, so there is no forgery to stop; and the 405 must come first.
    wrapper.csrf_exempt = True
    return wrapper


def framed(patterns: Iterable[URLPattern]) -> list[URLPattern]:
    """These addresses, which any site may show in an <iframe> (see `allow_framing`)."""
    return wrapped(patterns, allow_framing)


def wrapped(patterns: Iterable[URLPattern], decorator: Callable) -> list[URLPattern]:
    return [URLPattern(p.pattern, decorator(p.callback), p.default_args, p.name) for p in patterns]
