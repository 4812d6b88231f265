"""Spreadsheets as newsrooms keep them go in in one pass: upload, map the columns, confirm."""

import datetime
import io

import pytest
from openpyxl import Workbook

from stances.models import Stance, StanceChange
from tests.factories import make_question, make_source, record
from tests.transfer.test_import import confirm, form_data, import_url, upload

pytestmark = pytest.mark.django_db
day = datetime.date.fromisoformat

# Kept as a newsroom keeps it: its own headers, semicolons, a byte order mark, names and codes
# in any case, former names, labels for positions, day/month/year dates, no confidence column,
# no question column, sources without titles.
NEWSROOM_CSV = (
    "\ufeffCountry;Taken on;Stance;Link;Outlet;Note\n"
    "hungary;14/03/2024;Opposes;https://news.example.org/hu;Example News;Budapest says no.\n"
    "CZECH REPUBLIC;15/03/2024;supports;https://news.example.org/cz;;Prague agrees.\n"
    "el;18/03/2024;UNDECIDED;https://news.example.org/gr;Kathimerini;\n"
    "Österreich;;;;;\n"
)


@pytest.fixture
def question():
    return make_question(slug="recognition")


def import_in_one_pass(client, content, question, name="newsroom.csv", **mapping):
    """Upload with the question chosen, keep the guessed meanings, preview, confirm."""
    mapped = upload(client, content, name=name, question=question.pk)
    assert mapped.status_code == 200, mapped.content.decode()
    previewed = client.post(import_url(), form_data(mapped, "map", **mapping))
    assert previewed.status_code == 200, previewed.content.decode()
    assert not previewed.context["plan"].rejections
    return previewed, confirm(client, previewed)


def positions_now(question) -> dict:
    stances = Stance.objects.filter(question=question).select_related("member_state", "position")
    return {s.member_state.code: (s.position.key, s.since) for s in stances}


def test_a_newsroom_csv_goes_in_after_the_mapping_step(editor_client, question):
    previewed, done = import_in_one_pass(
        editor_client, NEWSROOM_CSV.encode(), question, confidence="reported"
    )
    assert done.status_code == 302
    assert positions_now(question) == {
        "HU": ("no", day("2024-03-14")),
        "CZ": ("yes", day("2024-03-15")),
        "GR": ("maybe", day("2024-03-18")),
    }
    assert previewed.context["plan"].blank_rows == [5]  # Austria: nothing recorded
    czech = StanceChange.objects.get(stance__member_state__code="CZ")
    [source] = czech.sources.all()
    # No title, no publisher: the address stands in for both.
    assert (source.publisher, source.title) == (
        "news.example.org",
        "news.example.org: https://news.example.org/cz",
    )
    assert czech.confidence == "reported"


def test_the_guesses_name_each_column_and_leave_the_rest_ignored(editor_client, question):
    content = ("Country;Taken on;Stance;Link;Outlet;Note;Desk\n" + NEWSROOM_CSV[38:]).encode()
    mapped = upload(editor_client, content, question=question.pk)
    assert [c.meaning for c, _ in mapped.context["columns"]] == [
        "code",
        "effective_on",
        "position",
        "source_url",
        "source_publisher",
        "summary",
        "",
    ]
    assert "Ignored" in mapped.content.decode()


def test_without_a_confidence_column_or_one_chosen_the_mapping_step_says_so(
    editor_client, question
):
    mapped = upload(editor_client, NEWSROOM_CSV.encode(), question=question.pk)
    response = editor_client.post(import_url(), form_data(mapped, "map"))
    assert response.status_code == 400
    assert "choose one confidence for every row" in response.content.decode()


def test_a_changed_meaning_is_what_the_rows_are_read_by(editor_client, question):
    content = b"State,When,Position,Remark\nHU,2024-03-14,silent,A\n"
    mapped = upload(editor_client, content, question=question.pk)
    assert [c.meaning for c, _ in mapped.context["columns"]] == ["code", "", "position", ""]
    changed = {"column_1": "effective_on", "column_3": "summary", "confidence": "official"}
    previewed = editor_client.post(import_url(), form_data(mapped, "map", **changed))
    [entry] = previewed.context["plan"].new
    assert (entry.effective_on, entry.summary) == (day("2024-03-14"), "A")


def test_dates_that_read_either_way_wait_for_the_editor_to_say_which(editor_client, question):
    content = b"code,date,position\nHU,03/04/2024,silent\nSK,05/04/2024,silent\n"
    mapped = upload(editor_client, content, question=question.pk)
    asked = editor_client.post(import_url(), form_data(mapped, "map", confidence="reported"))
    assert asked.status_code == 400
    assert "say whether 03/04/2024 is 3 April or 4 March" in asked.content.decode()
    data = form_data(mapped, "map", confidence="reported", date_order="mdy")
    previewed = editor_client.post(import_url(), data)
    assert [e.effective_on for e in previewed.context["plan"].new] == [
        day("2024-03-04"),
        day("2024-05-04"),
    ]


def test_an_xlsx_workbook_goes_in_with_its_date_cells_and_formulas_left_as_text(
    editor_client, question
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ISO code", "Date", "Status", "Source", "Publisher", "Headline", "Summary"])
    sheet.append(
        [
            "sk",
            datetime.datetime(2024, 3, 16),
            "Opposes",
            "https://a.example.org/sk",
            "A",
            "",
            "=1+1",
        ]
    )
    sheet.append(
        [
            "Netherlands",
            datetime.date(2024, 3, 17),
            "supports",
            "https://b.example.org/nl",
            "",
            "",
            "",
        ]
    )
    sheet.append(["pl", "17.03.2024", "no", "https://a.example.org/pl", "A", "Warsaw", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, done = import_in_one_pass(
        editor_client, buffer.getvalue(), question, name="sheet.xlsx", confidence="official"
    )
    assert done.status_code == 302
    assert positions_now(question) == {
        "SK": ("no", day("2024-03-16")),
        "NL": ("yes", day("2024-03-17")),
        "PL": ("no", day("2024-03-17")),
    }
    slovakia = StanceChange.objects.get(stance__member_state__code="SK")
    assert slovakia.summary == "=1+1"  # read as the text it is, never evaluated


def test_cells_pasted_from_a_spreadsheet_go_in(editor_client, question):
    pasted = (
        "Member state\tTaken on\tPosition\tConfidence\tURL\n"
        "Czechia\t2024-03-14\tSupports\tOfficial statement\thttps://x.example.org/cz\n"
        "ireland\t14.3.2024\tno\treported\thttps://x.example.org/ie\n"
    )
    mapped = editor_client.post(import_url(), {"pasted": pasted, "question": question.pk})
    assert mapped.status_code == 200
    assert mapped.context["file_name"] == "the pasted cells"
    previewed = editor_client.post(import_url(), form_data(mapped, "map"))
    assert confirm(editor_client, previewed).status_code == 302
    assert positions_now(question) == {
        "CZ": ("yes", day("2024-03-14")),
        "IE": ("no", day("2024-03-14")),
    }


def test_one_bad_row_still_writes_nothing(editor_client, question):
    content = NEWSROOM_CSV.replace("hungary", "Narnia").encode()
    mapped = upload(editor_client, content, question=question.pk)
    previewed = editor_client.post(import_url(), form_data(mapped, "map", confidence="reported"))
    assert previewed.status_code == 400
    assert "Unknown member state “Narnia”" in previewed.content.decode()
    assert 'id="confirm-import"' not in previewed.content.decode()
    assert not StanceChange.objects.exists()


def test_a_file_that_names_the_question_in_a_column_may_hold_several(editor_client, question):
    other = make_question(slug="sanctions")
    content = b"question,code,position,effective_on,confidence\n"
    content += b"recognition,HU,silent,2024-03-14,reported\n"
    content += b"sanctions,SK,silent,2024-03-14,reported\n"
    mapped = upload(editor_client, content)
    previewed = editor_client.post(import_url(), form_data(mapped, "map"))
    assert confirm(editor_client, previewed).status_code == 302
    assert list(positions_now(question)) == ["HU"]
    assert list(positions_now(other)) == ["SK"]


# Re-imports that correct


def correcting_file(summary="Budapest says no, firmly.") -> bytes:
    return (
        "code,effective_on,position,summary,source_url,source_title,source_publisher\n"
        f'HU,2024-03-14,no,"{summary}",https://news.example.org/new,Later report,Example News\n'
    ).encode()


@pytest.fixture
def recorded(question):
    source = make_source(url="https://news.example.org/first", title="First report")
    return record(question, "HU", "no", "2024-03-14", summary="Says no", sources=[source])


def test_a_reimport_corrects_the_recorded_entry_rather_than_adding_one(
    editor_client, editor, question, recorded
):
    mapped = upload(editor_client, correcting_file(), question=question.pk)
    previewed = editor_client.post(import_url(), form_data(mapped, "map", confidence="official"))
    plan = previewed.context["plan"]
    assert (len(plan.new), len(plan.corrections)) == (0, 1)
    assert "<del>Says no</del>" in previewed.content.decode()
    assert confirm(editor_client, previewed).status_code == 302
    [change] = StanceChange.objects.all()
    assert change.pk == recorded.pk
    assert (change.summary, change.confidence) == ("Budapest says no, firmly.", "official")
    urls = sorted(change.sources.values_list("url", flat=True))
    assert urls == ["https://news.example.org/first", "https://news.example.org/new"]
    latest = change.history.first()
    assert (latest.history_type, latest.history_user) == ("~", editor)


def test_the_editor_may_record_it_as_a_new_entry_instead(editor_client, question, recorded):
    mapped = upload(editor_client, correcting_file(), question=question.pk)
    previewed = editor_client.post(import_url(), form_data(mapped, "map", confidence="official"))
    assert confirm(editor_client, previewed, corrections="none").status_code == 302
    assert StanceChange.objects.count() == 2
    recorded.refresh_from_db()
    assert recorded.summary == "Says no"


def test_the_editor_may_choose_row_by_row(editor_client, question, recorded):
    record(question, "SK", "yes", "2024-03-14", summary="Yes")
    content = correcting_file() + b"SK,2024-03-14,yes,Yes indeed,https://x.example.org/sk,T,P\n"
    mapped = upload(editor_client, content, question=question.pk)
    previewed = editor_client.post(import_url(), form_data(mapped, "map", confidence="reported"))
    assert len(previewed.context["plan"].corrections) == 2
    done = confirm(editor_client, previewed, corrections="ticked", corrected=["1"])
    assert done.status_code == 302
    recorded.refresh_from_db()
    assert recorded.summary == "Says no"  # not ticked: recorded beside it
    assert StanceChange.objects.filter(stance__member_state__code="HU").count() == 2
    slovakia = StanceChange.objects.filter(stance__member_state__code="SK")
    assert list(slovakia.values_list("summary", flat=True)) == ["Yes indeed"]
