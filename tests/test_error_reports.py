"""Readers report an error in a record; editors see the open ones and work through them."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from stances.models import ErrorReport, ReportStatus
from stances.reports.forms import ReportForm
from stances.templatetags import reports
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question(slug="sanctions")
    record(question, "HU", "no", "2024-03-09")
    return question


def report_url(code="hu"):
    return reverse("report_error", args=["sanctions", code])


def panel_url():
    return reverse("country_timeline", args=["sanctions", "hu"])


def report(client, **fields):
    data = {"report-what": "The date is wrong: it was 8 March.", **fields}
    return client.post(report_url(), data, headers={"HX-Request": "true"})


def test_each_country_panel_offers_the_report_form_without_a_token(client, question):
    html = client.get(panel_url()).content.decode()
    assert "Report an error" in html
    assert f'hx-post="{report_url()}"' in html
    assert "csrfmiddlewaretoken" not in html  # the page stays the same for every reader
    assert "mailto:" not in html


def test_the_form_follows_the_country_and_the_reader_s_language(client, question):
    # Each process writes the empty form once per question, country and language: another
    # country and another language must each get their own.
    hungary = client.get(panel_url()).content.decode()
    assert f'hx-post="{report_url()}"' in hungary
    assert "> on Hungary</span>" in hungary
    france = client.get(reverse("country_timeline", args=["sanctions", "fr"])).content.decode()
    assert f'hx-post="{report_url("fr")}"' in france
    assert "on Hungary" not in france and "> on France</span>" in france
    german = client.get(f"/de{panel_url()}").content.decode()
    assert f'hx-post="/de{report_url()}"' in german
    assert "What is wrong" not in german


def test_a_report_lands_in_the_queue_linked_to_its_question_and_country(client, question):
    response = report(
        client, **{"report-source_url": "https://news.example.org/x", "report-email": "a@b.eu"}
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    [saved] = ErrorReport.objects.all()
    assert (saved.question, saved.member_state.code) == (question, "HU")
    assert (saved.status, saved.source_url, saved.email) == (
        ReportStatus.OPEN,
        "https://news.example.org/x",
        "a@b.eu",
    )


def test_without_htmx_the_answer_is_a_whole_page(client, question):
    response = client.post(report_url(), {"report-what": "Wrong date."})
    assert response.status_code == 200
    assert "<h1>Report an error in the record of Hungary</h1>" in response.content.decode()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"report-what": ""}, "Say what is wrong"),
        ({"report-source_url": "javascript:alert(1)"}, "http"),
        ({"report-email": "not an address"}, "valid email"),
        ({"report-what": "x" * 2001}, "2000"),
    ],
)
def test_a_bad_report_is_a_400_with_the_form_and_its_errors(client, question, fields, message):
    response = report(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_a_bot_that_fills_the_hidden_field_is_thanked_and_nothing_is_kept(client, question):
    response = report(client, **{"report-website": "https://spam.example"})
    assert response.status_code == 200
    assert not ErrorReport.objects.exists()


def test_a_network_that_reports_too_often_is_told_to_wait(client, question, settings):
    for _ in range(10):
        assert report(client).status_code == 200
    response = report(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many reports" in response.content.decode()
    assert ErrorReport.objects.count() == 10


def test_an_unknown_question_or_country_is_a_404(client, question):
    assert client.post(reverse("report_error", args=["nothing", "hu"])).status_code == 404
    assert client.post(report_url("xx"), {"report-what": "x"}).status_code == 404
    # Found by the property-based tests: PostgreSQL refuses a NUL outright (a 500 before).
    nul = "/questions/sanctions/countries/h%00/report/"
    assert client.post(nul, {"report-what": "x"}).status_code == 404


def test_reading_the_report_address_is_not_allowed(client, question):
    assert client.get(report_url()).status_code == 405


def test_editors_see_the_open_reports_on_the_panel(editor_client, client, question):
    report(client)
    fixed = ErrorReport.objects.create(
        question=question,
        member_state=ErrorReport.objects.get().member_state,
        what="Old report",
        status=ReportStatus.FIXED,
    )
    html = editor_client.get(panel_url()).content.decode()
    assert "Readers' reports still open (1)" in html
    assert "The date is wrong: it was 8 March." in html
    assert fixed.what not in html
    reader = Client()  # the client fixture is the editor's, once signed in
    assert "Readers' reports" not in reader.get(panel_url()).content.decode()


def test_editors_work_through_the_queue_in_the_admin(editor_client, editor, client, question):
    report(client)
    saved = ErrorReport.objects.get()
    queue = editor_client.get(reverse("admin:stances_errorreport_changelist"))
    assert queue.status_code == 200
    assert panel_url() in queue.content.decode()
    url = reverse("admin:stances_errorreport_change", args=[saved.pk])
    response = editor_client.post(url, {"status": "fixed", "note": "Date corrected."})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.status, saved.note) == ("fixed", "Date corrected.")
    assert saved.history.first().history_user == editor
    assert saved.what == "The date is wrong: it was 8 March."  # the reader's words stay
    action = {"action": "mark_rejected", "_selected_action": [saved.pk]}
    editor_client.post(reverse("admin:stances_errorreport_changelist"), action)
    saved.refresh_from_db()
    assert saved.status == "rejected"


@pytest.mark.parametrize(
    "slug, code, name",
    [("sanctions", "HU", "Magyarország"), ("trade-and-tariffs", "FR", 'A & <b>"B"</b>')],
)
def test_the_kept_form_is_what_the_template_writes_for_the_member_state(slug, code, name):
    # Written once per language from stand-ins, then given each one's address and name.
    context = {
        "report_form": ReportForm(),
        "question": SimpleNamespace(slug=slug),
        "member_state": SimpleNamespace(code=code, local_name=name),
    }
    expected = render_to_string("stances/reports/_form.html", context)
    assert reports._empty_form(slug, code, name, get_language(), get_script_prefix()) == expected
    assert reverse("report_error", args=[slug, code.lower()]) in expected
