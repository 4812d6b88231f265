"""Import of stance changes: read, map, check every row, preview in the admin, then all or none."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stances.models import MemberState, Source, Stance, StanceChange
from stances.transfer import columns, importing
from tests.factories import make_question, make_source, record, sign_in_verified

pytestmark = pytest.mark.django_db

HEADER = (
    "question,code,position,effective_on,confidence,summary,"
    "source_url,source_title,source_publisher,source_published_on\n"
)
SOURCE = "https://news.example.org/a,Report A,Example News,2024-03-15"


@pytest.fixture
def question():
    return make_question(slug="sanctions")


def csv_file(*rows, header=HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def plan_of(*rows, **kwargs):
    return importing.check(importing.read_rows(csv_file(*rows, **kwargs)))


def import_file(content: bytes, user, **kwargs):
    return importing.import_changes(
        importing.read_rows(content), importing.Options(), user, **kwargs
    )


def reasons(plan):
    return {r.row: r.reasons for r in plan.rejections}


# Reading the file


def test_an_empty_file_is_refused():
    with pytest.raises(importing.BadFile, match="empty"):
        importing.read_rows(b"")


def test_a_header_without_rows_is_refused():
    with pytest.raises(importing.BadFile, match="no rows"):
        importing.read_rows(HEADER.encode())


def test_a_file_that_is_not_utf8_is_refused_with_what_to_do():
    content = csv_file("sanctions,CZ,yes,2024-03-01,reported,Česko souhlasí,,,,")
    with pytest.raises(importing.BadFile, match="not UTF-8.*CSV UTF-8"):
        importing.read_rows(content.decode().encode("cp1250"))


def test_missing_columns_are_named():
    with pytest.raises(importing.BadFile, match="“Taken on \\(date\\)”.*“Confidence”"):
        importing.read_rows(b"question,code,position\nsanctions,HU,yes\n")


def test_a_second_column_of_the_same_meaning_is_ignored(question):
    rows = importing.read_rows(
        b"question,code,code,position,effective_on,confidence\nsanctions,HU,XX,no,2024-03-09,reported\n"
    )
    assert rows[0].cells["code"] == "HU"


def test_a_file_over_5_mb_is_refused():
    with pytest.raises(importing.BadFile, match="5 MB"):
        importing.read_rows(HEADER.encode() + b"x" * (5 * 1024 * 1024))


def test_a_file_with_more_rows_than_can_be_reviewed_is_refused():
    rows = "\n".join(f"sanctions,HU,yes,2024-03-01,reported,Row {n},,,," for n in range(2001))
    with pytest.raises(importing.BadFile, match="2,001 rows; at most 2,000"):
        importing.read_rows(csv_file(rows))


def test_a_binary_file_is_refused():
    with pytest.raises(importing.BadFile):
        importing.read_rows(b"question,code\x00\x01\x02")


def test_a_byte_order_mark_blank_lines_and_header_case_are_accepted(question):
    content = "\ufeff" + HEADER.upper() + "\n\nsanctions,HU,silent,2024-03-01,reported,,,,,\n"
    rows = importing.read_rows(content.encode())
    assert [row.number for row in rows] == [4]
    assert rows[0].cells["code"] == "HU"


def test_semicolons_as_excel_writes_them_in_europe_are_accepted(question):
    header = HEADER.replace(",", ";")
    plan = plan_of("sanctions;HU;silent;2024-03-01;reported;Nothing yet;;;;", header=header)
    assert [e.summary for e in plan.new] == ["Nothing yet"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.lists(st.text(max_size=30), max_size=12), max_size=5)
        .map(lambda rows: HEADER + "\n".join(",".join(row) for row in rows))
        .map(str.encode),
    )
)
def test_any_file_is_read_or_refused_with_a_message(question, content):
    try:
        plan = importing.preview(content)
    except importing.BadFile as error:
        assert str(error)
    else:
        assert all(r.reasons for r in plan.rejections)


# Checking the rows


def test_a_good_row_is_a_new_change(question):
    plan = plan_of(f"sanctions,HU,no,2024-03-09,official,Budapest says no.,{SOURCE}")
    assert not plan.rejections
    [entry] = plan.new
    assert (entry.member_state.code, entry.position.key) == ("HU", "no")
    assert entry.effective_on == datetime.date(2024, 3, 9)
    assert entry.sources[0].publisher == "Example News"


def test_greece_is_found_by_its_iso_and_its_eu_code(question):
    plan = plan_of(
        f"sanctions,GR,no,2024-03-09,reported,,{SOURCE}",
        f"sanctions,el,yes,2024-03-10,reported,,{SOURCE}",
    )
    assert [e.member_state.code for e in plan.new] == ["GR", "GR"]


@pytest.mark.parametrize(
    "row, reason",
    [
        (f"sanctions,XX,no,2024-03-09,reported,,{SOURCE}", "Unknown member state “XX”"),
        (f"sanctions,UK,no,2024-03-09,reported,,{SOURCE}", "Unknown member state “UK”"),
        (f"sanctions,HU,perhaps,2024-03-09,reported,,{SOURCE}", "Unknown position “perhaps”"),
        (f"nothing,HU,no,2024-03-09,reported,,{SOURCE}", "Unknown question “nothing”"),
        (f"sanctions,HU,no,9 March 2024,reported,,{SOURCE}", "“9 March 2024” is not a date"),
        (f"sanctions,HU,no,2024-02-30,reported,,{SOURCE}", "“2024-02-30” is not a date"),
        (f"sanctions,HU,no,31/02/2024,reported,,{SOURCE}", "“31/02/2024” is not a date"),
        (f"sanctions,HU,no,1899-03-09,reported,,{SOURCE}", "from 1 January 1900 to today"),
        (f"sanctions,HU,no,2999-03-09,reported,,{SOURCE}", "from 1 January 1900 to today"),
        (f"sanctions,HU,no,,reported,,{SOURCE}", "date it was taken on is empty"),
        (f"sanctions,HU,no,2024-03-09,rumour,,{SOURCE}", "Unknown confidence “rumour”"),
        ("sanctions,HU,no,2024-03-09,reported,,javascript:alert(1),T,P,", "Source address"),
        ("sanctions,HU,no,2024-03-09,reported,,ftp://example.org/x,T,P,", "Source address"),
        (
            "sanctions,HU,no,2024-03-09,reported,,https://example.org/x,T,P,15 March",
            "“15 March” is not a date",
        ),
        ("sanctions,HU,no,2024-03-09,reported,,,,,", "“Opposes” needs a source"),
        (f"sanctions,HU,no,2024-03-09,reported,{'x' * 1001},{SOURCE}", "at most 1000"),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason(question, row, reason):
    plan = plan_of(row)
    assert not plan.new
    assert any(reason in text for text in reasons(plan)[2]), reasons(plan)


def test_every_bad_row_is_listed_not_just_the_first(question):
    plan = plan_of(
        f"sanctions,XX,no,2024-03-09,reported,,{SOURCE}",
        f"sanctions,HU,no,2024-03-09,reported,,{SOURCE}",
        f"sanctions,HU,perhaps,2024-03-09,reported,,{SOURCE}",
    )
    assert sorted(reasons(plan)) == [2, 4]
    assert len(plan.new) == 1


def test_a_row_can_have_several_reasons(question):
    plan = plan_of(f"sanctions,XX,perhaps,2024-03-09,rumour,,{SOURCE}")
    assert len(reasons(plan)[2]) == 3


def test_a_duplicate_row_is_rejected(question):
    plan = plan_of(
        f"sanctions,HU,no,2024-03-09,reported,,{SOURCE}",
        f"sanctions,HU,no,2024-03-09,reported,,{SOURCE}",
        f"sanctions,GR,no,2024-03-09,reported,,{SOURCE}",
        f"sanctions,EL,no,2024-03-09,reported,,{SOURCE}",
    )
    assert reasons(plan) == {3: ["Duplicate of row 2."], 5: ["Duplicate of row 4."]}


def test_rows_of_one_change_with_several_sources_make_one_change(question):
    plan = plan_of(
        f"sanctions,HU,no,2024-03-09,reported,Says no,{SOURCE}",
        "sanctions,HU,no,2024-03-09,reported,Says no,https://b.example.org/,B,Other,",
    )
    [entry] = plan.new
    assert entry.rows == [2, 3]
    assert [s.title for s in entry.sources] == ["Report A", "B"]


def test_a_row_without_a_position_is_left_out(question):
    plan = plan_of("sanctions,HU,,,,,,,,")
    assert plan.blank_rows == [2]
    assert not plan.entries and not plan.rejections


def test_a_change_already_recorded_is_left_as_it_is(question):
    source = make_source(url="https://news.example.org/a", title="Report A")
    record(question, "HU", "no", "2024-03-09", summary="Says no", sources=[source])
    plan = plan_of(f"sanctions,HU,no,2024-03-09,reported,Says no,{SOURCE}")
    assert not plan.new and not plan.rejections
    assert len(plan.already_recorded) == 1


def test_a_recorded_entry_with_other_sources_is_offered_as_a_correction(question):
    recorded = record(question, "HU", "no", "2024-03-09", summary="Says no")
    plan = plan_of(f"sanctions,HU,no,2024-03-09,reported,Says no,{SOURCE}")
    assert not plan.rejections and not plan.new
    [entry] = plan.corrections
    assert entry.correction_of == recorded


def test_the_preview_shows_the_current_position(question):
    record(question, "HU", "maybe", "2024-03-01")
    [entry] = plan_of(f"sanctions,HU,no,2024-03-09,reported,,{SOURCE}").new
    assert entry.current.key == "maybe"


def test_checking_costs_a_constant_number_of_queries(question, django_assert_max_num_queries):
    rows = [
        f"sanctions,{m.code},no,2024-03-09,reported,,{SOURCE}" for m in MemberState.objects.all()
    ]
    content = csv_file(*rows)
    with django_assert_max_num_queries(7):
        plan = importing.preview(content)
    assert len(plan.new) == 27


# Importing


def test_an_import_goes_through_the_timeline_and_is_audited(question, editor):
    record(question, "HU", "maybe", "2024-03-01")
    version = Stance.objects.get(member_state__code="HU").version
    content = csv_file(
        f"sanctions,HU,no,2024-03-09,official,Budapest says no.,{SOURCE}",
        f"sanctions,EL,yes,2024-03-10,reported,,{SOURCE}",
    )
    import_file(content, editor)
    hungary = Stance.objects.get(member_state__code="HU")
    assert (hungary.position.key, hungary.since, hungary.version) == (
        "no",
        datetime.date(2024, 3, 9),
        version + 1,
    )
    change = hungary.changes.order_by("-effective_on").first()
    assert change.recorded_by == editor
    assert change.history.filter(history_type="+").exists()
    assert Source.objects.filter(url="https://news.example.org/a").count() == 1
    assert Stance.objects.get(member_state__code="GR").position.key == "yes"


def test_a_file_with_any_rejected_row_writes_nothing(question, editor):
    content = csv_file(
        f"sanctions,HU,no,2024-03-09,official,,{SOURCE}",
        f"sanctions,XX,no,2024-03-09,official,,{SOURCE}",
    )
    with pytest.raises(importing.Rejected):
        import_file(content, editor)
    assert not StanceChange.objects.exists()
    assert not Source.objects.exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(question, editor):
    content = csv_file(f"sanctions,HU,no,2024-03-09,official,,{SOURCE}")
    import_file(content, editor)
    plan = import_file(content, editor)
    assert (len(plan.new), len(plan.already_recorded)) == (0, 1)
    assert StanceChange.objects.count() == 1


def empty_the_records():
    StanceChange.objects.all().delete()
    Stance.objects.all().delete()
    Source.objects.all().delete()


@pytest.mark.parametrize("name", ["question_timeline_csv", "question_export_csv"])
def test_an_export_imported_into_an_empty_database_exports_identically(
    client, question, editor, name
):
    MemberState.objects.filter(code="CZ").update(name="Česko")
    record(question, "CZ", "maybe", "2024-03-01", summary="Praha váhá.")
    record(question, "CZ", "yes", "2024-03-05", summary="-5 % na clech", confidence="official")
    record(question, "GR", "silent", "2024-03-02", sources=[])
    record(question, "GR", "no", "2024-03-06", summary='=HYPERLINK("x")')
    record(question, "GR", "no", "2024-03-06", sources=[make_source(), make_source(quote="Q")])
    record(question, "HU", "no", "2024-03-06", summary="Same day, first")
    record(question, "HU", "yes", "2024-03-06", summary="Same day, second")
    url = reverse(name, args=[question.slug])
    exported = client.get(url).content
    if name == "question_timeline_csv":
        # Re-importing an export of the same data changes nothing.
        assert not import_file(exported, editor).new
    empty_the_records()
    plan = import_file(exported, editor)
    assert not plan.rejections
    # The same data, byte for byte, except when it was last recorded: just now, by the import.
    assert without_last_updated(client.get(url).content) == without_last_updated(exported)
    assert without_last_updated(exported).count(b",") > 100


def without_last_updated(content: bytes) -> bytes:
    """The CSV with its last column, last_updated, cut off every line."""
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0].endswith(",last_updated")
    return "\r\n".join(line.rsplit(",", 1)[0] for line in lines if line).encode()


# The admin


def import_url():
    return reverse("admin:stances_stancechange_import")


def upload(client, content, name="changes.csv", **fields):
    return client.post(import_url(), {"file": SimpleUploadedFile(name, content), **fields})


def form_data(response, step, **changes):
    """The mapping form of a mapping or preview page, as the browser would post it."""
    mapping = response.context["mapping"]
    data = {"token": response.context["token"], "file_name": response.context["file_name"]}
    data["step"] = step
    for name in mapping.fields:
        value = mapping[name].value()
        if value not in (None, "", []):
            data[name] = getattr(value, "pk", value)
    if step == "confirm":
        data["plan"] = response.context["plan"].fingerprint
    return {**data, **changes}


def preview(client, content, **changes):
    """Upload, then keep the guessed meanings (with `changes`): the preview."""
    mapping = upload(client, content)
    assert mapping.status_code == 200, mapping.content.decode()
    return client.post(import_url(), form_data(mapping, "map", **changes))


def confirm(client, previewed, **changes):
    return client.post(import_url(), form_data(previewed, "confirm", **changes))


def test_editors_find_the_import_on_the_changes_list(editor_client):
    body = editor_client.get(reverse("admin:stances_stancechange_changelist")).content.decode()
    assert import_url() in body


def test_staff_without_the_permissions_cannot_import(client):
    user = get_user_model().objects.create_user("staff", password="x" * 20, is_staff=True)
    sign_in_verified(client, user)
    assert client.get(import_url()).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(import_url()).status_code == 302


def test_the_upload_page_names_the_meanings_a_column_can_have(editor_client):
    body = editor_client.get(import_url()).content.decode()
    assert "Source published on (date)" in body
    assert "from 1 January 1900" in body


def test_the_mapping_step_shows_each_column_with_its_first_values_and_guess(
    editor_client, question
):
    content = csv_file(f"sanctions,HU,no,2024-03-09,official,Budapest says no.,{SOURCE}")
    response = upload(editor_client, content)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Budapest says no." in body
    assert 'id="map-columns"' in body
    assert [c.meaning for c, _ in response.context["columns"]][:3] == [
        "question",
        "code",
        "position",
    ]
    assert not StanceChange.objects.exists()


def test_upload_maps_previews_then_confirm_records(editor_client, question, editor):
    content = csv_file(
        f"sanctions,HU,no,2024-03-09,official,Budapest says no.,{SOURCE}",
        f"sanctions,EL,yes,2024-03-10,reported,Athens agrees.,{SOURCE}",
    )
    previewed = preview(editor_client, content)
    assert previewed.status_code == 200
    body = previewed.content.decode()
    assert "Budapest says no." in body and "Athens agrees." in body
    assert 'id="confirm-import"' in body
    assert not StanceChange.objects.exists()
    done = confirm(editor_client, previewed)
    assert done.status_code == 302
    assert StanceChange.objects.filter(recorded_by=editor).count() == 2
    assert StanceChange.history.filter(history_type="+", history_user=editor).count() == 2
    again = confirm(editor_client, previewed)
    assert again.status_code == 400
    assert "expired or was already imported" in again.content.decode()
    assert StanceChange.objects.count() == 2


def test_while_the_cache_is_away_an_upload_says_so_and_writes_nothing(
    editor_client, question, shared_cache_away
):
    content = csv_file(f"sanctions,HU,no,2024-03-09,official,Budapest says no.,{SOURCE}")
    with shared_cache_away:
        response = upload(editor_client, content)
        assert response.status_code == 503
        assert "the cache is not answering" in response.content.decode()
        later = editor_client.post(import_url(), {"token": "any", "file_name": "x.csv"})
        assert later.status_code == 503
    assert not StanceChange.objects.exists()


def test_a_preview_with_rejected_rows_lists_them_and_offers_no_confirmation(
    editor_client, question
):
    content = csv_file(
        f"sanctions,HU,no,2024-03-09,official,,{SOURCE}",
        f"sanctions,XX,no,2024-03-09,official,,{SOURCE}",
        f"sanctions,HU,maybe,31/02/2024,official,,{SOURCE}",
    )
    response = preview(editor_client, content)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Unknown member state “XX”" in body
    assert "“31/02/2024” is not a date" in body
    assert 'id="confirm-import"' not in body


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (HEADER.encode(), "no rows"),
        ("sanctions,CZ,yes,2024-03-01,reported,Česko".encode("cp1250"), "not UTF-8"),
    ],
)
def test_a_bad_file_is_a_400_with_a_clear_message(editor_client, question, content, message):
    response = upload(editor_client, content)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_mapping_without_a_column_the_rows_need_is_a_400_saying_which(editor_client, question):
    mapping = upload(editor_client, b"question,code\nsanctions,HU\n")
    response = editor_client.post(import_url(), form_data(mapping, "map"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "No column is given as “Position (key or label)”" in body
    assert "No column is given as “Taken on (date)”" in body


def test_neither_a_file_nor_cells_is_a_400(editor_client):
    response = editor_client.post(import_url(), {"pasted": "  "})
    assert response.status_code == 400
    assert "Choose a file to upload, or paste cells" in response.content.decode()


def test_a_10_mb_file_is_a_413_not_a_crash(editor_client, question):
    row = f"sanctions,HU,no,2024-03-09,official,,{SOURCE}\n".encode()
    content = HEADER.encode() + row * (10 * 1024 * 1024 // len(row))
    response = upload(editor_client, content)
    assert response.status_code == 413
    assert "over 5 MB, the largest file accepted" in response.content.decode()
    assert not StanceChange.objects.exists()


def test_a_confirmation_after_the_records_moved_writes_nothing(editor_client, question):
    content = csv_file(
        f"sanctions,HU,no,2024-03-09,official,Says no,{SOURCE}",
        f"sanctions,DE,no,2024-03-09,official,,{SOURCE}",
    )
    previewed = preview(editor_client, content)
    # Meanwhile someone records the same entry with another source.
    record(question, "HU", "no", "2024-03-09", summary="Says no", confidence="official")
    response = confirm(editor_client, previewed)
    assert response.status_code == 409
    assert "Nothing was written" in response.content.decode()
    assert StanceChange.objects.count() == 1


def test_a_huge_header_is_refused_in_linear_time():
    import time

    header = ",".join(f"column_{n}" for n in range(40_000)) + "\n"
    started = time.process_time()
    with pytest.raises(importing.BadFile, match="40,000 columns; the import reads at most 200"):
        importing.read_rows(header.encode() + b"x\n")
    # The check once took 17.6 s of CPU here; the limit is far from a timing.
    assert time.process_time() - started < 1.0


def test_guessing_the_meanings_of_20000_columns_is_linear():
    import time

    header = ["code"] * 10_000 + [f"column {n}" for n in range(10_000)]
    started = time.process_time()
    meanings = columns.guess(header)
    assert meanings.count("code") == 1
    assert time.process_time() - started < 1.0


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(editor_client):
    from unittest import mock

    big = SimpleUploadedFile("big.csv", b"x" * (importing.MAX_BYTES + 200 * 1024))
    with mock.patch("django.http.request.MultiPartParser") as parser:
        response = editor_client.post(import_url(), {"file": big})
    assert response.status_code == 413
    assert "over 5 MB, the largest file accepted" in response.content.decode()
    parser.assert_not_called()
