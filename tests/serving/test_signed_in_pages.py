"""Signed-in people share one render of a page per revision and role, each with their own name
and CSRF token in it (stances/serving/signed_in_pages.py)."""

import gzip
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from stances.models import ErrorReport, MemberState
from stances.serving import spliced_gzip
from tests.factories import make_editor, record, sign_in_verified

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r"[A-Za-z0-9]{64}")


def map_url(question):
    return reverse("question", args=[question.slug])


def signed_in(user, **client_options):
    client = Client(**client_options)
    sign_in_verified(client, user)
    return client


def test_a_second_editor_gets_the_page_without_a_render(
    editor_client, question, django_assert_max_num_queries
):
    first = editor_client.get(map_url(question)).content.decode()
    other = signed_in(make_editor("other-editor"))
    # The session, the user, the second factor, the group: no snapshot, no scale, no history.
    with django_assert_max_num_queries(5):
        second = other.get(map_url(question)).content.decode()
    assert "Signed in as <strong>editor</strong>" in first
    assert "Signed in as <strong>other-editor</strong>" in second
    assert "editor</strong>" not in second.replace("other-editor</strong>", "")
    assert 'href="/questions/' in second and "/countries/hu/edit/" in second  # the Edit links


def test_each_request_gets_its_own_token_and_it_is_accepted(editor, question):
    client = signed_in(editor, enforce_csrf_checks=True)
    client.get(map_url(question))  # the shared render
    html = client.get(map_url(question)).content.decode()
    [token] = set(TOKEN.findall(html))
    assert f'"X-CSRFToken": "{token}"' in html
    assert TOKEN.findall(client.get(map_url(question)).content.decode()) != [token]
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # signed out: the token was good
    assert "Sign in" in client.get(map_url(question)).content.decode()


def test_a_new_session_gets_its_csrf_cookie_from_a_shared_page(editor, question):
    signed_in(editor).get(map_url(question))
    client = signed_in(editor, enforce_csrf_checks=True)
    client.cookies.pop("csrftoken", None)
    response = client.get(map_url(question))
    assert "csrftoken" in response.cookies
    token = TOKEN.search(response.content.decode()).group(1)
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_name_is_escaped_as_the_template_would(question):
    user = make_editor("<b>o'neil&co</b>")
    signed_in(make_editor()).get(map_url(question))
    html = signed_in(user).get(map_url(question)).content.decode()
    assert "Signed in as <strong>&lt;b&gt;o&#x27;neil&amp;co&lt;/b&gt;</strong>" in html


def test_an_edit_reaches_signed_in_people_at_once(editor_client, question):
    assert (
        "Hungary: Undecided since 1 March 2024"
        in editor_client.get(map_url(question)).content.decode()
    )
    record(question, "HU", "no", "2024-03-09")
    html = editor_client.get(map_url(question)).content.decode()
    assert "Hungary: Opposes since 9 March 2024" in html


def test_roles_do_not_share_a_page(editor_client, question):
    editor_client.get(map_url(question))
    reader = get_user_model().objects.create_user("reader", password="a-long-reader-password")
    html = signed_in(reader).get(map_url(question)).content.decode()
    assert "Signed in as <strong>reader</strong>" in html
    assert "/edit/" not in html and 'href="/admin/"' not in html
    not_staff = make_editor("not-staff")
    not_staff.is_staff = False
    not_staff.save()
    html = signed_in(not_staff).get(map_url(question)).content.decode()
    assert "/countries/hu/edit/" in html and 'href="/admin/"' not in html


def test_a_waiting_message_is_shown_not_a_shared_copy(editor_client, question):
    editor_client.get(map_url(question))  # the shared render, without a message
    stance = question.stances.get(member_state__code="HU")
    saved = editor_client.post(  # without htmx: "Change recorded" waits for the next page
        reverse("edit_stance", args=[question.slug, "hu"]),
        {
            "position": question.positions.get(key="no").pk,
            "effective_on": "2024-03-09",
            "confidence": "official",
            "summary": "Opposes now.",
            "version": stance.version,
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-0-url": "https://www.kormany.hu/statement",
            "sources-0-title": "Statement",
            "sources-0-publisher": "Government of Hungary",
        },
    )
    assert saved.status_code == 302
    html = editor_client.get(map_url(question)).content.decode()
    assert 'class="message message-success"' in html
    assert 'class="message' not in editor_client.get(map_url(question)).content.decode()


def test_an_editors_panel_with_open_reports_is_never_shared(editor_client, question):
    panel = reverse("country_timeline", args=[question.slug, "hu"])
    assert "still open" not in editor_client.get(panel).content.decode()
    ErrorReport.objects.create(
        question=question, member_state=MemberState.objects.get(code="HU"), what="Wrong date."
    )  # a report does not move the revision
    html = editor_client.get(panel).content.decode()
    assert "Readers' reports still open (1)" in html and "Wrong date." in html


def test_signed_in_pages_go_out_gzipped_and_private(editor_client, question):
    plain = editor_client.get(map_url(question)).content
    response = editor_client.get(map_url(question), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "private" in response["Cache-Control"] and "ETag" not in response
    unzipped = gzip.decompress(response.content)
    assert ANY_TOKEN.sub("", unzipped.decode()) == ANY_TOKEN.sub("", plain.decode())


@pytest.mark.parametrize("filler", [b"", b"x" * 70_000, bytes(range(256)) * 300])
def test_spliced_gzip_is_gzip(filler):
    pieces = [b"<p>Signed in as ", filler + b"</p><form>", b"</form>"]
    values = [b"some \xc3\xa9ditor", b"t" * 64]
    parts = [
        (pieces[0], spliced_gzip.deflated(pieces[0])),
        (values[0], None),
        (pieces[1], spliced_gzip.deflated(pieces[1])),
        (values[1] + filler, None),  # a stored part longer than one stored block
        (pieces[2], spliced_gzip.deflated(pieces[2])),
    ]
    expected = b"".join(raw for raw, _ in parts)
    assert gzip.decompress(spliced_gzip.gzipped(parts)) == expected
