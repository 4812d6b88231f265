"""Pages for signed-in people: rendered once per revision and role, then given to each of them
with their own name and CSRF token.

A signed-in editor's map page differs from every other editor's in two strings only: the name
in "Signed in as" and the CSRF token (masked afresh for each request, against BREACH). The page
is rendered once with a stand-in for each, kept in the shared cache under the page's entity tag
and the role (editor or not, staff or not: what the header and the edit controls depend on),
and each request gets a copy with its own name and token put in. An edit moves the revision, so
a kept page is never out of date, exactly as for readers.

Left out, and rendered for each request as before: a request with messages waiting (the page
shows them), a render that read something meant for this person alone
(`permissions.for_this_person_only`: an editor's panel lists the reports still open on the
record), an answer other than a plain 200.
"""

import re
import secrets
from dataclasses import dataclass

from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.html import escape

from stances import permissions, shared_cache
from stances.serving import spliced_gzip

# The attribute on the request that carries the stand-ins while a shared copy is rendered.
STAND_INS = "_stances_stand_ins"


@dataclass(frozen=True)
class StandIns:
    """Strings that cannot occur in a page otherwise (random for each render), and that
    escaping, URL-encoding and the templates' filters leave as they are (hex)."""

    name: str
    token: str

    @classmethod
    def new(cls) -> "StandIns":
        return cls(name=f"name{secrets.token_hex(12)}", token=f"token{secrets.token_hex(24)}")

    def slots(self) -> dict[bytes, str]:
        """Each stand-in as it stands in a page, and which of the person's strings it holds."""
        return {self.name.encode(): "name", self.token.encode(): "token"}


def own_strings(request, with_token: bool) -> dict[str, bytes]:
    """This person's strings for the stand-ins: the name, escaped as the templates escape it,
    and (`with_token`) a CSRF token masked for this request, which also sets the CSRF cookie
    when it is not set yet."""
    strings = {"name": escape(request.user.get_username()).encode()}
    if with_token:
        strings["token"] = get_token(request).encode()
    return strings


@dataclass(frozen=True)
class SharedPage:
    """A page cut at its stand-ins: the fixed pieces, raw and compressed once, and which
    stand-in ("name" or "token") goes between each piece and the next."""

    pieces: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    slots: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, content: bytes, headers, stand_ins: StandIns) -> "SharedPage":
        names = stand_ins.slots()
        cut = re.split(b"(" + b"|".join(map(re.escape, names)) + b")", content)
        pieces, slots = tuple(cut[::2]), tuple(names[s] for s in cut[1::2])
        return cls(pieces, tuple(map(spliced_gzip.deflated, pieces)), slots, tuple(headers))

    def parts(self, request):
        """(raw, deflated) pairs: the pieces, with this person's strings between them."""
        values = own_strings(request, with_token="token" in self.slots)
        for n, piece in enumerate(self.pieces):
            yield piece, self.deflated[n]
            if n < len(self.slots):
                yield values[self.slots[n]], None

    def response_for(self, request) -> HttpResponse:
        parts = list(self.parts(request))
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(spliced_gzip.gzipped(parts))
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it alone
        else:
            response = HttpResponse(b"".join(raw for raw, _ in parts))
        for header, value in self.headers:
            response[header] = value
        patch_vary_headers(response, ["Accept-Encoding"])
        return response


def context(request) -> dict:
    """A context processor, after Django's csrf and auth ones: the stand-ins while a shared
    copy is rendered, else this person's name and token."""
    stand_ins = getattr(request, STAND_INS, None)
    if stand_ins is None:
        user = getattr(request, "user", None)
        return {"signed_in_name": user.get_username() if user is not None else ""}
    return {"signed_in_name": stand_ins.name, "csrf_token": stand_ins.token}


def may_share(request) -> bool:
    return request.method in ("GET", "HEAD") and not has_messages(request)


def has_messages(request) -> bool:
    """Messages wait in a cookie, or in the session when the cookie could not hold them."""
    session = getattr(request, "session", None)
    return "messages" in request.COOKIES or (
        session is not None and SessionStorage.session_key in session
    )


def role(user) -> str:
    """What of the person the pages show besides the name: the edit controls, the admin link."""
    return f"editor={int(permissions.is_editor(user))},staff={int(user.is_staff)}"


def key(tag: str, user) -> str:
    return f"stances:signed-in:{tag}:{role(user)}"


def serve(request, view, tag: str, *args, **kwargs):
    """The page for this signed-in person: a copy of the shared render, else a render (shared
    from then on when it may be)."""
    page_key = key(tag, request.user)
    local = caches["local"]
    page = local.get(page_key)
    if page is None and (page := shared_cache.get(page_key)) is not None:
        local.set(page_key, page, shared_cache.SECONDS)
    if page is not None:
        return page.response_for(request)
    stand_ins = StandIns.new()
    setattr(request, STAND_INS, stand_ins)
    try:
        response = view(request, *args, **kwargs)
    finally:
        delattr(request, STAND_INS)
    if not shareable(request, response):
        return fill_in(response, stand_ins, request)
    headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
    page = SharedPage.of(response.content, headers, stand_ins)
    shared_cache.set(page_key, page)
    local.set(page_key, page, shared_cache.SECONDS)
    return page.response_for(request)


def shareable(request, response) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, permissions.ONE_PERSON, False)
    )


def fill_in(response, stand_ins: StandIns, request):
    """A render that is not shared after all: its stand-ins replaced in place."""
    if not response.streaming:
        content = response.content
        strings = own_strings(request, with_token=stand_ins.token.encode() in content)
        for stand_in, slot in stand_ins.slots().items():
            if slot in strings:
                content = content.replace(stand_in, strings[slot])
        response.content = content
    return response
