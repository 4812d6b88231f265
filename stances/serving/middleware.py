"""Response headers Django has no setting for, and a 503 while the database is away."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Turns off browser features no page here uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class AdminStylesMiddleware:
    """Under /admin/, add settings.ADMIN_EXTRA_STYLE_SRC to the policy's style-src: one admin
    page carries a style attribute our own pages never need."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.path_info.startswith(self.admin_prefix):
            # Read by csp.middleware.CSPMiddleware, exactly as its @csp_update decorator does.
            response._csp_update = {
                **(getattr(response, "_csp_update", None) or {}),
                "style-src": [*settings.ADMIN_EXTRA_STYLE_SRC],
            }
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with a plain page instead of a 500.

    The page is rendered without the request, so no context processor, session or user lookup
    touches the database again. The broken connection is dropped at the end of the request and
    the next request connects afresh, so the site recovers by itself when the database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable on %s: %s", request.path, exception)
        return service_unavailable()


def service_unavailable():
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
