"""Who may open what: every address of the site, walked as an anonymous visitor, a signed-in
reader (no group), an editor, and an editor who gave the password but not yet the second factor
("unverified"), against the matrix below.

A new URL pattern makes this file fail until it is given a row here: every endpoint is
classified on purpose. The admin is covered by a rule instead (every address under /admin/
sends anonymous visitors and readers to the admin sign-in) plus a representative set of what an
editor may and may not do there.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from stances.models import MemberState, Question, Source, Stance, StanceChange
from tests.factories import make_editor, make_question, record, sign_in_verified

PUBLIC = "public"  # everyone: 200
EDITORS = "editors"  # anonymous: to sign in; reader: 403; editor: 200
SIGNED_IN = "signed in"  # anonymous: to sign in; any account: 200
POST_ONLY = "post only"  # a GET is refused with 405, whoever asks
SIGNED_LINK = "signed link"  # anyone with the link from the mail; without it (a made-up token): 400
SECOND_STEP = "second step"  # the second factor's own pages: only the unverified editor stays
LANGUAGE = "language"  # the switcher's choice: a redirect to the page in it, for everyone

SITE = {
    "": PUBLIC,
    "about/": PUBLIC,
    "questions/<slug:slug>/": PUBLIC,
    "questions/<slug:slug>/countries/<str:code>/": PUBLIC,
    "questions/<slug:slug>/embed/": PUBLIC,
    "questions/<slug:slug>/map.svg": PUBLIC,
    "questions/<slug:slug>/compare/": PUBLIC,
    "questions/<slug:slug>/share.png": PUBLIC,
    "countries/<str:code>/compare/": PUBLIC,
    "questions/<slug:slug>/compare.csv": PUBLIC,
    "questions/<slug:slug>/compare.json": PUBLIC,
    "api/questions/<slug:slug>/compare": PUBLIC,
    "questions/<slug:slug>/countries/<str:code>/edit/": EDITORS,
    "questions/<slug:slug>/countries/<str:code>/correct/": EDITORS,
    "questions/<slug:slug>/countries/<str:code>/check/": EDITORS,
    "checks/": EDITORS,
    "countries/<str:code>/": PUBLIC,
    "questions/<slug:slug>/export.csv": PUBLIC,
    "questions/<slug:slug>/export.json": PUBLIC,
    "questions/<slug:slug>/timeline.csv": PUBLIC,
    "questions/<slug:slug>/timeline.json": PUBLIC,
    "questions/<slug:slug>/changes.atom": PUBLIC,
    "feeds/changes.atom": PUBLIC,
    "api/questions": PUBLIC,
    "api/questions/<slug:slug>": PUBLIC,
    "api/questions/<slug:slug>/stances": PUBLIC,
    "api/member-states": PUBLIC,
    "api/member-states/<str:code>": PUBLIC,
    "api/changes": PUBLIC,
    "api/": PUBLIC,
    "api/openapi.json": PUBLIC,
    "accounts/login/": PUBLIC,
    "language/<str:code>/": LANGUAGE,
    "accounts/logout/": POST_ONLY,
    "accounts/second-step/": SECOND_STEP,
    "accounts/second-step/enrol/": SECOND_STEP,
    "accounts/second-step/recovery-codes/": SECOND_STEP,
    "follow/": POST_ONLY,
    "questions/<slug:slug>/countries/<str:code>/report/": POST_ONLY,
    "follow/confirm/<str:token>/": SIGNED_LINK,
    "follow/unsubscribe/<str:token>/": SIGNED_LINK,
    "follow/manage/<str:token>/": SIGNED_LINK,
}

SIGN_IN = "sign in"
TO_SECOND_STEP = "to the second step"  # a redirect to the second step, keeping the address
SENT_ON = "sent on"  # any other redirect: nothing to do here
EXPECTED = {
    PUBLIC: {"anonymous": 200, "reader": 200, "editor": 200, "unverified": TO_SECOND_STEP},
    EDITORS: {"anonymous": SIGN_IN, "reader": 403, "editor": 200, "unverified": TO_SECOND_STEP},
    SIGNED_IN: {"anonymous": SIGN_IN, "reader": 200, "editor": 200, "unverified": TO_SECOND_STEP},
    POST_ONLY: {"anonymous": 405, "reader": 405, "editor": 405, "unverified": TO_SECOND_STEP},
    SIGNED_LINK: {"anonymous": 400, "reader": 400, "editor": 400, "unverified": TO_SECOND_STEP},
    # Without a device yet, the unverified editor is sent from the code page to the enrolment.
    SECOND_STEP: {"anonymous": SIGN_IN, "reader": SENT_ON, "editor": SENT_ON, "unverified": 200},
    LANGUAGE: {"anonymous": SENT_ON, "reader": SENT_ON, "editor": SENT_ON, "unverified": SENT_ON},
}
# Signing out stays open to the unverified editor, as does the enrolment; the other two pages
# send them on to it.
UNVERIFIED_EXCEPTIONS = {
    "accounts/logout/": 405,
    "accounts/second-step/": SENT_ON,
    "accounts/second-step/recovery-codes/": SENT_ON,
}

# What fills a path parameter, by its name: a published question and Hungary, whose stance on it
# is recorded.
SAMPLES = {"slug": "recognition", "code": "hu", "uidb64": "MQ", "token": "x-y"}

# Regular-expression routes (the admin's) and a path that matches each.
REGEX_SAMPLES = {
    r"^([^/]+)/history/([^/]+)/$": "1/history/1/",
    r"^(?P<app_label>auth|axes|stances)/$": "stances/",
    r"(?P<url>.*)$": "no-such-page/",
}


def routes(patterns=None, prefix=""):
    """Every URL pattern of the site as its full route, e.g. 'questions/<slug:slug>/'."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def site_routes():
    return [route for route in routes() if not route.startswith("admin/")]


def admin_routes():
    return [route for route in routes() if route.startswith("admin/")]


def address(route: str) -> str:
    """A path that the route matches, its parameters filled from SAMPLES."""
    for regex, sample in REGEX_SAMPLES.items():
        if route.endswith(regex):
            route = route.removesuffix(regex) + sample
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES.get(m[1], "1"), route)


@pytest.fixture
def question(db):
    question = make_question(slug=SAMPLES["slug"])
    record(question, "HU", "maybe", "2024-03-10")
    return question


@pytest.fixture
def clients(question):
    reader, editor, unverified = Client(), Client(), Client()
    reader.force_login(get_user_model().objects.create_user("reader"))
    sign_in_verified(editor, make_editor("alice"))
    unverified.force_login(make_editor("bruno"))
    return {"anonymous": Client(), "reader": reader, "editor": editor, "unverified": unverified}


def outcome(response):
    if response.status_code != 302:
        return response.status_code
    if response["Location"].startswith("/accounts/login/?next="):
        return SIGN_IN
    if response["Location"].startswith("/accounts/second-step/?next=%2F"):
        return TO_SECOND_STEP
    return SENT_ON


def test_every_url_pattern_of_the_site_is_in_the_matrix():
    unclassified = [route for route in site_routes() if route not in SITE]
    assert unclassified == [], f"Add these to SITE in {__name__}: {unclassified}"
    gone = [route for route in SITE if route not in site_routes()]
    assert gone == [], f"No longer in the URLconf, remove from SITE: {gone}"


@pytest.mark.parametrize("role", ["anonymous", "reader", "editor", "unverified"])
def test_each_address_answers_each_role_as_the_matrix_says(clients, role):
    wrong = []
    for route, kind in SITE.items():
        got = outcome(clients[role].get(address(route)))
        expected = EXPECTED[kind][role]
        if role == "unverified":
            expected = UNVERIFIED_EXCEPTIONS.get(route, expected)
        if got != expected:
            wrong.append(f"{address(route)}: expected {expected}, got {got}")
    assert wrong == []


@pytest.mark.parametrize("role", ["anonymous", "reader", "unverified"])
def test_no_address_lets_anonymous_visitors_or_readers_change_anything(clients, role):
    stance = Stance.objects.select_related("position").first()
    attempt = {
        "position": stance.position.pk,
        "effective_on": "2024-03-20",
        "confidence": "official",
        "summary": "Changed by someone without the right.",
        "version": stance.version,
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-url": "https://example.org/",
        "sources-0-title": "Forged",
        "sources-0-publisher": "Nobody",
    }
    before = state_of_the_records()
    for route, kind in SITE.items():
        if kind == POST_ONLY:
            continue  # signing out: it would only turn the reader into an anonymous visitor
        response = clients[role].post(address(route), attempt)
        assert response.status_code < 500, address(route)
    assert state_of_the_records() == before


def state_of_the_records():
    counts = [model.objects.count() for model in (Question, Stance, StanceChange, Source)]
    summaries = sorted(StanceChange.objects.values_list("summary", flat=True))
    versions = sorted(Stance.objects.values_list("version", flat=True))
    return counts, summaries, versions


def test_htmx_editing_requests_send_anonymous_visitors_to_sign_in_and_refuse_readers(clients):
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"}
    for route, kind in SITE.items():
        if kind != EDITORS:
            continue
        for method in ("get", "post"):
            anonymous = getattr(clients["anonymous"], method)(address(route), **htmx)
            assert anonymous["HX-Redirect"].startswith("/accounts/login/?next=")
            assert getattr(clients["reader"], method)(address(route), **htmx).status_code == 403


def test_edits_without_the_csrf_token_are_refused(question):
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, make_editor("alice"))
    for route, kind in SITE.items():
        if kind == EDITORS:
            assert client.post(address(route), {"summary": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_every_admin_address_sends_anonymous_visitors_and_readers_to_the_admin_sign_in(
    clients, role
):
    wrong = []
    for route in admin_routes():
        response = clients[role].get(address(route), follow=True)
        if (response.status_code, response.request["PATH_INFO"]) != (200, "/admin/login/"):
            wrong.append(
                f"{address(route)}: {response.status_code} {response.request['PATH_INFO']}"
            )
    assert wrong == []


def test_every_admin_address_sends_an_unverified_editor_to_the_second_step(clients):
    wrong = []
    for route in admin_routes():
        response = clients["unverified"].get(address(route), follow=True)
        if (response.status_code, response.request["PATH_INFO"]) != (
            200,
            "/accounts/second-step/enrol/",
        ):
            wrong.append(
                f"{address(route)}: {response.status_code} {response.request['PATH_INFO']}"
            )
    assert wrong == []


def test_an_editor_may_keep_records_in_the_admin_but_not_manage_the_site(clients):
    stance = Stance.objects.first()
    change = StanceChange.objects.first()
    question = Question.objects.first()
    source = Source.objects.first()
    member_state = MemberState.objects.first()
    user = get_user_model().objects.get(username="reader")
    history_id = stance.history.first().history_id

    def admin(name, *args):
        return reverse(f"admin:{name}", args=args)

    expected = {
        admin("index"): 200,
        admin("app_list", "stances"): 200,
        admin("password_change"): 200,
        admin("jsi18n"): 200,
        admin("stances_stance_changelist"): 200,
        admin("stances_stance_add"): 200,
        admin("stances_stance_change", stance.pk): 200,
        admin("stances_stance_history", stance.pk): 200,
        admin("stances_stance_simple_history", stance.pk, history_id): 200,
        admin("stances_stance_delete", stance.pk): 403,
        admin("stances_stancechange_changelist"): 200,
        admin("stances_stancechange_change", change.pk): 200,
        admin("stances_stancechange_import"): 200,
        admin("stances_stancechange_add"): 403,
        admin("stances_stancechange_delete", change.pk): 403,
        admin("stances_source_changelist"): 200,
        admin("stances_source_add"): 200,
        admin("stances_source_change", source.pk): 200,
        admin("stances_source_delete", source.pk): 403,
        admin("stances_question_changelist"): 200,
        admin("stances_question_change", question.pk): 200,  # to view, read-only
        admin("stances_question_add"): 403,
        admin("stances_question_delete", question.pk): 403,
        admin("stances_position_add"): 403,
        admin("stances_memberstate_change", member_state.pk): 200,  # to view, read-only
        admin("stances_memberstate_add"): 403,
        admin("stances_memberstate_delete", member_state.pk): 403,
        admin("auth_user_changelist"): 403,
        admin("auth_user_change", user.pk): 403,
        admin("auth_user_password_change", user.pk): 403,
        admin("auth_group_changelist"): 403,
        admin("axes_accessattempt_changelist"): 403,
        admin("axes_accessfailurelog_changelist"): 403,
        admin("app_list", "auth"): 404,  # nothing there for editors
    }
    got = {url: clients["editor"].get(url).status_code for url in expected}
    assert got == expected


def test_the_question_and_member_state_pages_in_the_admin_are_read_only_for_editors(clients):
    question = Question.objects.first()
    url = reverse("admin:stances_question_change", args=[question.pk])
    response = clients["editor"].post(url, {"title": "Renamed by an editor"})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.title != "Renamed by an editor"
