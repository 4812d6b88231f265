"""Downloads for readers: a question's stances as of a date and its full timeline, CSV or JSON."""

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import timezone

from stances import citing, csvcodec
from stances.dates import parse_as_of
from stances.published import exports
from stances.reading.change_dates import published_question_with_dates_or_404
from stances.reading.comparison import comparison_asked
from stances.reading.questions import published_question_or_404
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
    question, positions = published_question_or_404(slug)
    snapshot = take_snapshot(question, as_of, positions=positions)
    rows = exports.stance_rows(snapshot)
    date = as_of or timezone.localdate()
    name = citing.download_name(question, date, format)
    if format == "csv":
        csv_text = csvcodec.to_csv(rows, csvcodec.STANCE_COLUMNS)
        return download(BYTE_ORDER_MARK + csv_text, CSV_TYPE, name)
    body = {"question": question.slug, "title": question.title, "as_of": date, "stances": rows}
    return json_download(body, name)


def question_timeline(request, slug, format):
    question, positions = published_question_or_404(slug)
    changes = exports.question_changes(question, positions)
    name = citing.download_name(question, timezone.localdate(), format, kind="timeline")
    if format == "csv":
        rows = exports.timeline_rows(question, changes)
        return download(BYTE_ORDER_MARK + csvcodec.to_csv(rows), CSV_TYPE, name)
    entries = exports.timeline_entries(question, changes)
    body = {"question": question.slug, "title": question.title, "changes": entries}
    return json_download(body, name)


def question_compare(request, slug, format):
    """The moves between two dates as CSV, or the whole comparison as JSON."""
    question, positions, dates = published_question_with_dates_or_404(request, slug)
    try:
        comparison = comparison_asked(request, question, positions, dates).with_sources()
    except ValueError as error:
        return bad_download_request(format, str(error))
    kind = f"compare-{comparison.from_date.isoformat()}"
    name = citing.download_name(question, comparison.to_date, format, kind=kind)
    if format == "csv":
        csv_text = csvcodec.to_csv(exports.move_rows(comparison), exports.MOVE_COLUMNS)
        return download(BYTE_ORDER_MARK + csv_text, CSV_TYPE, name)
    return json_download(exports.comparison_document(comparison), name)


def download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def json_download(body, name):
    params = {"ensure_ascii": False, "indent": 1}
    response = JsonResponse(body, json_dumps_params=params, content_type=JSON_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def bad_download_request(format, message):
    if format == "json":
        return JsonResponse({"error": message}, status=400, content_type=JSON_TYPE)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
