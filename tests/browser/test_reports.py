"""Report an error in Chromium: a reader opens a country, reports, is thanked in place; the
editor then sees the report on the same panel. axe-core finds nothing on the open form."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from stances.models import ErrorReport
from tests.browser.conftest import mark_page, was_not_reloaded
from tests.browser.test_editing import FEDERATION, editor, sign_in  # noqa: F401 - a fixture


def test_a_reader_reports_an_error_from_the_panel_and_the_editor_sees_it(page, editor):  # noqa: F811
    page.goto(FEDERATION + "countries/hu/")
    mark_page(page)
    page.click("summary:has-text('Report an error')")
    expect(page.get_by_label("What is wrong")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.click("button:has-text('Send the report')")  # nothing typed: said where
    expect(page.locator("#report-form .field-error")).to_contain_text("Say what is wrong")
    page.get_by_label("What is wrong").fill("Budapest spoke on 15 March, not 14.")
    page.get_by_label("A source that shows it").fill("https://abouthungary.hu/news/x")
    page.click("button:has-text('Send the report')")
    expect(page.locator("#report-form")).to_contain_text("Thank you")
    assert was_not_reloaded(page)
    assert ErrorReport.objects.get().member_state.code == "HU"
    sign_in(page, FEDERATION + "countries/hu/")
    expect(page.locator(".open-reports")).to_contain_text("Budapest spoke on 15 March, not 14.")
    # The empty report's 400 is the one error the browser logs.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
