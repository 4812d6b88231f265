"""Activates the language each request asks for, before the page cache looks (its key names
the language).

- An address with a prefix (`/de/…`) is in that language; `?lang=` names it where there is
  none (the embed, the downloads, the API, the share image).
- A reader's page without a prefix is English. A first visit there (no language chosen yet:
  no cookie) from a browser that prefers another of the Union's languages is sent to that
  language's address, once; choosing a language in the switcher sets the cookie, after which
  unprefixed addresses stay English, so that Back from /de/… returns to English.
- The admin and sign-in follow the chosen language, else the browser's, else English; the
  API, downloads and feeds are English unless ?lang= says otherwise (they are cached for all).
- Questions and positions are loaded in the reader's language (stances/languages/content.py),
  except in the admin, where editors edit the English record.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from stances import revisions
from stances.languages import CODES, ENGLISH
from stances.languages.addresses import (
    has_language_versions,
    in_language,
    language_in_path,
    requested_in_query,
)
from stances.languages.content import shown_in

# Editors' own addresses, which follow the language they chose, else their browser's.
NEGOTIATED = ("/admin/", "/accounts/")


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_in_path(request.path_info)
        varies = False
        if language is None:
            try:
                language = requested_in_query(request.GET)
            except ValueError:
                return unknown_language(request)
        if language is None:
            language, varies, redirect = self.unprefixed(request)
            if redirect is not None:
                return redirect
        request.LANGUAGE_CODE = language
        # For this request only: the thread's next work (a request without this middleware, a
        # test) does not inherit it.
        with translation.override(language):
            if request.path_info.startswith(NEGOTIATED):
                response = self.get_response(request)  # the admin edits the English record
            else:
                # Translations are written only with what raises the reference revision.
                with shown_in(language, lambda: revisions.of_request(request).reference_tag):
                    response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if varies:
            patch_vary_headers(response, ("Accept-Language",))
        return response

    def unprefixed(self, request):
        """(language, whether it depended on Accept-Language, a redirect or None)."""
        path = request.path_info
        if path.startswith(NEGOTIATED):
            preferred = translation.get_language_from_request(request)
            return (preferred if preferred in CODES else ENGLISH), True, None
        if not has_language_versions(path):
            return ENGLISH, False, None  # the API, downloads, feeds: English unless ?lang=
        preferred = translation.get_language_from_request(request)
        if preferred not in CODES or preferred == ENGLISH:
            return ENGLISH, True, None
        chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        if chosen or request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return ENGLISH, True, None
        query = request.META.get("QUERY_STRING", "")
        url = in_language(request.path, preferred) + (f"?{query}" if query else "")
        redirect = HttpResponseRedirect(url)
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        return ENGLISH, True, redirect


def unknown_language(request):
    """A 400 in the reader's chosen or browser's language, since ?lang= named none we have."""
    codes = ", ".join(sorted(CODES))
    with translation.override(translation.get_language_from_request(request)):
        message = _("“lang” takes one of the Union's languages: %(codes)s.") % {"codes": codes}
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
