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


def test_an_admin_creates_a_question_from_a_preset_then_imports_onto_its_map(page, demo):
    from django.contrib.auth import get_user_model

    from tests.browser.test_editing import PASSWORD

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    sign_in(page, "/", username="root")
    page.goto("/admin/stances/question/add/")
    page.click("text=Support / oppose / undecided")
    expect(page.locator("#id_positions-0-label")).to_have_value("Supports")
    expect(page.locator("#id_positions-2-colour_0_1")).to_be_checked()  # Opposes: vermilion
    page.click("#id_title")
    page.keyboard.type("Enlargement to Ukraine")
    expect(page.locator("#id_slug")).to_have_value("enlargement-to-ukraine")  # from the title
    page.fill("#id_proposal", "Opening accession negotiations with Ukraine")
    page.fill("#id_opened_on", "2024-03-01")
    page.check("#id_is_published")
    page.click("input[name='_save']")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto("/admin/stances/stancechange/import/")
    page.select_option("#id_question", label="Enlargement to Ukraine")
    page.fill(
        "#id_pasted",
        "Country\tDate\tStance\tLink\nHungary\t14/03/2024\tOpposes\thttps://x.example.org/hu\n",
    )
    page.click("input[value='Next: the columns']")
    page.select_option("#id_confidence", label="Official statement")
    page.click("input[value='Check the rows']")
    page.click("#confirm-import input[value='Import']")
    expect(page.locator(".messagelist")).to_contain_text("Recorded 1 changes")
    page.goto("/questions/enlargement-to-ukraine/")
    expect(page.locator("#map-HU path")).to_have_attribute("fill", "#D55E00")
    expect(page.locator("#map-HU")).to_have_attribute(
        "aria-label", "Hungary: Opposes since 14 March 2024"
    )
