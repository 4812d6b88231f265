"""The read-only JSON API under /api/, described by /api/openapi.json (published/openapi.py)."""

from functools import wraps

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from stances.dates import BadDate, parse_as_of
from stances.models import MemberState, Position, Question, StanceChange
from stances.published.exports import comparison_document
from stances.published.openapi import openapi_document
from stances.reading.comparison import comparison_asked
from stances.reading.history import published_question_with_history_or_404
from stances.reading.member_states import member_states as kept_member_states
from stances.reading.questions import published_with_scale
from stances.reading.snapshots import Row, take_snapshot

CHANGES_PER_PAGE = 100
JSON_TYPE = "application/json; charset=utf-8"


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


def api_view(view):
    """JSON errors instead of HTML pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (BadDate, BadRequest) as error:
            return error_response(str(error), 400)
        except NotFound as error:
            return error_response(str(error), 404)

    return wrapper


def page_not_found(request, exception):
    """The site's 404: JSON under /api/, the HTML page elsewhere (urls.py's handler404)."""
    if request.path.startswith("/api/"):
        message = _("There is nothing at this address. See /api/openapi.json.")
        return error_response(message, 404)
    return defaults.page_not_found(request, exception)


def query_date(request, name: str):
    """A date parameter: absent is none; present, it must be a date (an empty one is refused)."""
    value = request.GET.get(name)
    if value is not None and value.strip() == "":
        raise BadRequest(
            # Translators: %(name)s is a parameter of the API (as_of, from, to, since).
            _("%(name)s is empty: give a date as YYYY-MM-DD, or leave %(name)s out.")
            % {"name": name}
        )
    return parse_as_of(value)


def respond(body):
    response = JsonResponse(body, content_type=JSON_TYPE, json_dumps_params={"ensure_ascii": False})
    # Public, read-only and without credentials: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(message, status):
    return JsonResponse({"error": message}, status=status, content_type=JSON_TYPE)


@api_view
def questions(request):
    body = {"questions": [question_summary(request, q) for q in Question.objects.published()]}
    return respond(body)


@api_view
def question(request, slug):
    question, scale = published_question_and_scale(request, slug)
    positions = [position_detail(p) for p in scale]
    return respond({**question_summary(request, question), "positions": positions})


@api_view
def stances(request, slug):
    as_of = query_date(request, "as_of")
    question, positions = published_question_and_scale(request, slug)
    snapshot = take_snapshot(question, as_of, kept_member_states(request), positions=positions)
    body = {
        "question": question_reference(request, question),
        "as_of": as_of or timezone.localdate(),
        "stances": [stance_as_of(request, question, row) for row in snapshot.rows],
    }
    return respond(body)


@api_view
def compare(request, slug):
    """Two dates of a question compared: the moves between them, the counts and the outcomes."""
    try:
        question, positions, history = published_question_with_history_or_404(request, slug)
    except Http404 as error:
        raise NotFound(str(error)) from None
    for name in ("from", "to"):
        query_date(request, name)  # an empty one is refused; the comparison reads them
    comparison = comparison_asked(request, question, positions, history.dates).with_sources()
    document = comparison_document(comparison)
    del document["title"]  # the question's reference carries it
    return respond({**document, "question": question_reference(request, question)})


@api_view
def member_states(request):
    body = {
        "member_states": [
            {**m.to_dict(), "api_url": member_state_api_url(request, m)}
            for m in MemberState.objects.all()
        ]
    }
    return respond(body)


@api_view
def member_state(request, code):
    code = code.upper()
    member_state = None
    if len(code) == 2 and code.isascii() and code.isalpha():
        member_state = MemberState.objects.filter(Q(code=code) | Q(eu_code=code)).first()
    if member_state is None:
        raise NotFound(_("No member state has this code; use an ISO code such as gr or de."))
    published = list(Question.objects.published())
    held = {
        s.question_id: s
        for s in member_state.stances.filter(question__in=published).select_related("position")
    }
    stances = []
    for q in published:
        stance = held.get(q.pk)
        stances.append(
            {
                "question": question_reference(request, q),
                "position": position_reference(stance.position if stance else None),
                "since": stance.since if stance else None,
                "summary": stance.summary if stance else None,
                "confidence": stance.confidence if stance else None,
                "timeline_url": timeline_url(request, q, member_state),
            }
        )
    body = {
        **member_state.to_dict(),
        "capital": member_state.capital,
        "accession_date": member_state.accession_date,
        "population": member_state.population,
        "url": request.build_absolute_uri(member_state.get_absolute_url()),
        "stances": stances,
    }
    return respond(body)


@api_view
def changes(request):
    """Changes taken on or after `since` (all without it), oldest first, a page at a time."""
    since = query_date(request, "since")
    found = (
        StanceChange.objects.filter(stance__question__is_published=True)
        .select_related("position", "stance__member_state", "stance__question")
        .order_by(*StanceChange.TIMELINE_ORDER)
    )
    if since:
        found = found.filter(effective_on__gte=since)
    try:
        page = Paginator(found, CHANGES_PER_PAGE).page(page_number(request))
    except EmptyPage:
        raise NotFound(_("There is no such page.")) from None
    listed = list(page.object_list)
    StanceChange.attach_sources(listed)
    body = {
        "since": since,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": page_url(request, page.previous_page_number()) if page.has_previous() else None,
        "changes": [change_detail(request, c) for c in listed],
    }
    return respond(body)


@api_view
def openapi(request):
    return respond(openapi_document())


def page_number(request) -> int:
    value = request.GET.get("page", "1")
    # isdigit() alone lets "²" through, which int() refuses; huge numbers are refused too.
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < 1:
        # Translators: page is a parameter of the API: keep it as it is.
        raise BadRequest(_("page must be a whole number from 1."))
    return int(value)


def page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def published_question_and_scale(request, slug) -> tuple[Question, list[Position]]:
    try:
        return published_with_scale(request, slug)
    except Question.DoesNotExist:
        raise NotFound(_("No published question has this slug.")) from None


def question_reference(request, question: Question) -> dict:
    return {
        "slug": question.slug,
        "title": question.title,
        "api_url": request.build_absolute_uri(reverse("api_question", args=[question.slug])),
    }


def question_summary(request, question: Question) -> dict:
    return {
        **question_reference(request, question),
        "description": question.description,
        "proposal": question.proposal,
        "opened_on": question.opened_on,
        "is_open": question.is_open,
        "url": request.build_absolute_uri(question.get_absolute_url()),
        "stances_url": request.build_absolute_uri(reverse("api_stances", args=[question.slug])),
    }


def position_reference(position: Position | None) -> dict | None:
    return position.to_dict() if position else None


def position_detail(position: Position) -> dict:
    # Key, label and vote first, as in every position the API names.
    return {**position.to_dict(), **position.to_detail_dict()}


def member_state_api_url(request, member_state: MemberState) -> str:
    return request.build_absolute_uri(reverse("api_member_state", args=[member_state.code.lower()]))


def timeline_url(request, question: Question, member_state: MemberState) -> str:
    return request.build_absolute_uri(question.timeline_url(member_state))


def change_detail(request, change: StanceChange) -> dict:
    question, member_state = change.stance.question, change.stance.member_state
    return {
        "id": change.pk,
        "question": question_reference(request, question),
        "member_state": member_state.to_dict(),
        "position": change.position.to_dict(),
        **change.to_dict(),
        "recorded_at": change.recorded_at,
        "sources": [source.to_dict() for source in change.source_list],
        "timeline_url": timeline_url(request, question, member_state),
    }


def stance_as_of(request, question: Question, row: Row) -> dict:
    """A member state's stance as of the snapshot's date: nulls where nothing was recorded."""
    change = row.change
    fields = change.to_dict() if change else dict.fromkeys(StanceChange.FIELDS)
    since = fields.pop("since")  # before the other fields of the change, as it has always been
    return {
        "member_state": row.member_state.to_dict(),
        "membership": row.membership,
        "position": position_reference(row.position),
        "since": since,
        **fields,
        "sources": [source.to_dict() for source in change.source_list] if change else [],
        "timeline_url": timeline_url(request, question, row.member_state),
    }
