"""Downloads for readers: a question's stances as of a date and its full timeline, CSV or JSON."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import timezone

from stances import citing, csvcodec
from stances.dates import parse_as_of
from stances.published import exports
from stances.reading.comparison import comparison_asked
from stances.reading.history import published_question_with_history_or_404
from stances.reading.snapshots import take_snapshot

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
BYTE_ORDER_MARK = "\ufeff"


def question_export(request, slug, format):
    try:
        as_of = parse_as_of(request.GET.get("as_of"))
    except ValueError as error:
        return bad_download_request(format, str(error))
    question, positions, history = published_question_with_history_or_404(request, slug)
    snapshot = take_snapshot(question, as_of, positions=positions)
    rows = exports.stance_rows(snapshot)
    date = as_of or timezone.localdate()
    name = citing.download_name(question, date, format)
    if format == "csv":
        return csv_download(rows, csvcodec.STANCE_COLUMNS, history, name)
    body = {"question": question.slug, "title": question.title, "as_of": date, "stances": rows}
    return json_download(body | last_updated(history), name)


def question_timeline(request, slug, format):
    question, positions, history = published_question_with_history_or_404(request, slug)
    changes = exports.question_changes(question, positions)
    name = citing.download_name(question, timezone.localdate(), format, kind="timeline")
    if format == "csv":
        rows = exports.timeline_rows(question, changes)
        return csv_download(rows, csvcodec.COLUMNS, history, name)
    entries = exports.timeline_entries(question, changes)
    body = {"question": question.slug, "title": question.title, "changes": entries}
    return json_download(body | last_updated(history), name)


def question_compare(request, slug, format):
    """The moves between two dates as CSV, or the whole comparison as JSON."""
    question, positions, history = published_question_with_history_or_404(request, slug)
    try:
        comparison = comparison_asked(request, question, positions, history.dates).with_sources()
    except ValueError as error:
        return bad_download_request(format, str(error))
    kind = f"compare-{comparison.from_date.isoformat()}"
    name = citing.download_name(question, comparison.to_date, format, kind=kind)
    if format == "csv":
        return csv_download(exports.move_rows(comparison), exports.MOVE_COLUMNS, history, name)
    return json_download(exports.comparison_document(comparison) | last_updated(history), name)


def last_updated(history) -> dict:
    """When the latest change on the question was recorded: in every download."""
    return {"last_updated": history.last_recorded}


def csv_download(rows, columns, history, name):
    """CSV for a spreadsheet; every row also says when the question was last updated."""
    rows = [row | last_updated(history) for row in rows]
    csv_text = csvcodec.to_csv(rows, [*columns, "last_updated"])
    return download(BYTE_ORDER_MARK + csv_text, CSV_TYPE, name)


def download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def json_download(body, name):
    return download(readable_json(body), JSON_TYPE, name)


def readable_json(body: dict) -> str:
    """The document with each of its keys on a line, and each item of a list on a line of its
    own: readable in an editor, and written by json's C encoder. Indented throughout, json
    falls back to its encoder written in Python, which took half of a year's comparison
    (2.6 MB, 310 ms): an address anyone may ask for with any two dates."""
    encode = DjangoJSONEncoder(ensure_ascii=False).encode
    members = []
    for key, value in body.items():
        if isinstance(value, list) and value:
            items = ",\n  ".join(encode(item) for item in value)
            members.append(f" {encode(key)}: [\n  {items}\n ]")
        else:
            members.append(f" {encode(key)}: {encode(value)}")
    return "{\n" + ",\n".join(members) + "\n}"


def bad_download_request(format, message):
    if format == "json":
        return JsonResponse({"error": message}, status=400, content_type=JSON_TYPE)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
