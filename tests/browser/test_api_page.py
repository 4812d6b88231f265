"""axe-core in Chromium on /api/, the API page: light and dark themes, phone and desktop."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import make_question, record


@pytest.fixture
def question(committed_reference_data):
    question = make_question(slug="sanctions")
    record(question, "HU", "no", "2024-03-09", summary="Budapest says no.")
    return question


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width, height", [(390, 844), (1440, 900)])
def test_the_api_page_has_no_axe_violations(chromium, live_server, question, theme, width, height):
    context = chromium.new_context(
        color_scheme=theme, viewport={"width": width, "height": height}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/api/")
    page.click("details summary")  # the headers too, as a reader opens them
    results = Axe().run(page)
    context.close()
    assert results.response["testEngine"]["name"] == "axe-core"
    assert results.violations_count == 0, results.generate_report()


def test_an_example_link_is_reached_by_keyboard_and_answers(page, question):
    page.goto("/api/")
    link = page.get_by_role("link", name="/api/questions/sanctions/stances").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/api/questions/sanctions/stances")
    assert '"slug": "sanctions"' in page.content() or "sanctions" in page.content()
