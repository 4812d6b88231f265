"""The import in Chromium: a newsroom's spreadsheet, its columns confirmed, onto the map."""

from playwright.sync_api import expect

from stances.models import Question
from tests.browser.test_editing import FEDERATION, editor, sign_in  # noqa: F401

NEWSROOM_CSV = (
    "\ufeffCountry;Taken on;Stance;Link;Outlet\n"
    "hungary;20/03/2024;recognises;https://news.example.org/hu;Example News\n"
    "CZECH REPUBLIC;21/03/2024;Does not recognise;https://news.example.org/cz;Example News\n"
)


def test_a_spreadsheet_goes_through_the_mapping_step_onto_the_map(page, editor):  # noqa: F811
    question = Question.objects.get(slug=FEDERATION.split("/")[2])
    sign_in(page)
    page.goto("/admin/stances/stancechange/")
    page.click("text=Import a spreadsheet")
    page.select_option("#id_question", label=question.title)
    page.set_input_files(
        "#id_file",
        files=[{"name": "newsroom.csv", "mimeType": "text/csv", "buffer": NEWSROOM_CSV.encode()}],
    )
    page.click("input[value='Next: the columns']")
    # The mapping step: each column with its first values and the meaning guessed.
    expect(page.locator("#columns")).to_contain_text("hungary")
    expect(page.get_by_label("Country")).to_have_value("code")
    expect(page.get_by_label("Taken on", exact=True)).to_have_value("effective_on")
    expect(page.get_by_label("Outlet")).to_have_value("source_publisher")
    page.select_option("#id_confidence", label="Reported")
    page.click("input[value='Check the rows']")
    expect(page.locator("#new-changes")).to_contain_text("Czechia")
    expect(page.locator("#new-changes")).to_contain_text("21 Mar 2024")
    page.click("#confirm-import input[value='Import']")
    expect(page.locator(".messagelist")).to_contain_text("Recorded 2 changes")
    page.goto(FEDERATION)
    expect(page.locator("#map-HU")).to_have_attribute(
        "aria-label", "Hungary: Recognises since 20 March 2024"
    )
    expect(page.locator("#row-CZ")).to_contain_text("Does not recognise")
