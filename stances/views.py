"""Pages for readers: home, the question's map page, a country's timeline, a member state."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from stances import caching
from stances.caching import public_page
from stances.choropleth import choropleth, legend_layout
from stances.dates import BadDate, parse_as_of
from stances.exports import citation, download_name, permalink
from stances.framing import allow_framing
from stances.mapsvg import load_map
from stances.models import MemberState, Position, Question, Stance, StanceChange
from stances.overview import overviews_and_matrix
from stances.permissions import is_editor
from stances.snapshots import attach_corrections, attach_sources, take_snapshot, timeline_of
from stances.table import SORT_LABELS, BadTableRequest, arrange


@public_page
def home(request):
    scales = published_questions_with_scales()
    member_states = caching.member_states(request)
    stances = Stance.objects.filter(question__in=scales).select_related("position")
    latest_changes = (
        StanceChange.objects.filter(stance__question__in=scales)
        .select_related("position", "stance__member_state", "stance__question")
        .order_by("-recorded_at", "-id")[:10]
    )
    overviews, matrix = overviews_and_matrix(scales, member_states, stances)
    context = {"overviews": overviews, "matrix": matrix, "latest_changes": latest_changes}
    return render(request, "stances/home.html", context)


@public_page
def question(request, slug):
    return question_page(request, slug)


@public_page
def country_timeline(request, slug, code):
    return question_page(request, slug, panel_code=code)


def question_page(request, slug, panel_code=None):
    """The map page; with a country code, its timeline is open in the side panel.

    htmx asks for one fragment at a time: the panel, the table, or the whole snapshot
    (map, legend, outcome and table) when the as-of date moves.
    """
    try:
        as_of = parse_as_of(request.GET.get("as_of"))
    except BadDate as error:
        return bad_request(request, str(error))
    question, positions = published_question_and_scale(slug)
    member_states = caching.member_states(request)
    panel_member_state = None
    if panel_code is not None:
        panel_member_state = next((m for m in member_states if m.code.lower() == panel_code), None)
        if panel_member_state is None:
            raise Http404("No such member state.")
        if request.htmx.target == "panel":
            return render_panel(request, question, positions, panel_member_state, as_of)
    snapshot = take_snapshot(
        question, as_of, member_states, positions=positions, with_timeline_of=panel_member_state
    )
    panel = None
    if panel_member_state:
        panel = {"member_state": panel_member_state, "changes": snapshot.timeline}
        if is_editor(request.user):
            attach_corrections(snapshot.timeline)
    try:
        rows = arrange(
            snapshot.rows,
            request.GET.get("sort", ""),
            request.GET.get("position", ""),
            [p.key for p in positions],
        )
    except BadTableRequest as error:
        return bad_request(request, str(error))
    context = {
        "question": question,
        "snapshot": snapshot,
        "as_of": as_of,
        "europe": load_map(),
        "countries": choropleth(snapshot.rows, load_map()),
        "rows": rows,
        "sort": request.GET.get("sort", ""),
        "position_filter": request.GET.get("position", ""),
        "sort_labels": SORT_LABELS,
        "panel": panel,
        "share": sharing(request, question, as_of),
    }
    fragment = {"snapshot": "#snapshot", "table": "#table"}.get(request.htmx.target, "")
    return render(request, f"stances/question.html{fragment}", context)


@allow_framing
@public_page
def question_embed(request, slug):
    """The map, legend and outcome alone, for an <iframe> on another site."""
    try:
        context = map_context(request, slug)
    except BadDate as error:
        return bad_request(request, str(error))
    return render(request, "stances/embed.html", context)


@public_page
def question_map_svg(request, slug):
    """The coloured map as a standalone SVG file with a title and a legend, for print."""
    try:
        context = map_context(request, slug)
    except BadDate as error:
        return bad_request(request, str(error))
    response = render(request, "stances/map.svg", context, content_type="image/svg+xml")
    day = context["as_of"] or timezone.localdate()
    name = download_name(context["question"], day, "svg", kind="map")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def map_context(request, slug):
    """What the embed and the SVG draw: the question's snapshot as of ?as_of=, and the map."""
    as_of = parse_as_of(request.GET.get("as_of"))
    question, positions = published_question_and_scale(slug)
    snapshot = take_snapshot(question, as_of, caching.member_states(request), positions=positions)
    return {
        "question": question,
        "snapshot": snapshot,
        "as_of": as_of,
        "europe": load_map(),
        "countries": choropleth(snapshot.rows, load_map()),
        "legend": legend_layout(snapshot.counts),
        "embed": True,
    }


def render_panel(request, question, positions, member_state, as_of):
    """Just the timeline for the side panel: three queries, no snapshot."""
    changes = timeline_of(question, member_state)
    by_pk = {p.pk: p for p in positions}
    for change in changes:
        change.position = by_pk[change.position_id]
    attach_sources(changes)
    if is_editor(request.user):
        attach_corrections(changes)
    context = {"question": question, "panel": {"member_state": member_state, "changes": changes}}
    return render(request, "stances/question.html#panel", context | {"as_of": as_of})


def sharing(request, question, as_of):
    """Permalink, citation, embed snippet and the query string downloads carry."""
    page_url = request.build_absolute_uri(question.get_absolute_url())
    day = as_of or timezone.localdate()
    embed_url = request.build_absolute_uri(reverse("question_embed", args=[question.slug]))
    query = f"?as_of={as_of.isoformat()}" if as_of else ""
    return {
        "permalink": permalink(page_url, day),
        "citation": citation(question, day, page_url, timezone.localdate()),
        "embed_snippet": (
            f'<iframe src="{embed_url}{query}" title="{question.title}" width="100%" '
            'height="720" style="border:0" loading="lazy"></iframe>'
        ),
        "query": query,
    }


def published_questions_with_scales() -> dict[Question, list[Position]]:
    """Published questions, newest first, each with its ordered scale: one query.

    A question without a scale has nothing to show yet; the admin refuses to publish one.
    """
    scales = {}
    positions = Position.objects.filter(question__is_published=True).select_related("question")
    for position in positions.order_by("-question__opened_on", "question__title", "order"):
        scales.setdefault(position.question, []).append(position)
    return scales


def published_question_and_scale(slug):
    """A published question and its ordered scale, in one query when it has a scale."""
    positions = list(
        Position.objects.filter(question__slug=slug, question__is_published=True)
        .select_related("question")
        .order_by("order")
    )
    if positions:
        return positions[0].question, positions
    return get_object_or_404(Question.objects.published(), slug=slug), []


@public_page
def member_state(request, code):
    if not MemberState.is_url_code(code):
        raise Http404("No such member state.")
    member_state = get_object_or_404(MemberState, code=code.upper())
    questions = list(Question.objects.published())
    stances = {
        s.question_id: s
        for s in member_state.stances.filter(question__in=questions).select_related("position")
    }
    rows = [(q, stances.get(q.pk)) for q in questions]
    return render(
        request, "stances/member_state.html", {"member_state": member_state, "rows": rows}
    )


def bad_request(request, message):
    """A 400 that says what was wrong: the whole page, or just the message for htmx."""
    template = "stances/bad_request.html" + ("#message" if request.htmx else "")
    return render(request, template, {"message": message}, status=400)
