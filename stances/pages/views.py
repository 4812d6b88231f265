"""Pages for readers: home, the question's map page, a country's timeline, a member state.

Which of them are cached, and which may be framed, is said beside their addresses in
stances/urls.py; the map itself is drawn by the templates (stances/templatetags/maps.py).
"""

import functools
from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stances import union, voting
from stances.citing import citation, download_name, permalink
from stances.dates import BadDate, parse_as_of
from stances.languages import ENGLISH
from stances.languages.addresses import LANG_PARAMETER
from stances.models import ErrorReport, MemberState, Question, Stance, StanceChange
from stances.pages.embedding import HEIGHTS, BadEmbedRequest, EmbedOptions
from stances.pages.slider import Slider
from stances.pages.table import SORT_LABELS, BadTableRequest, arrange
from stances.permissions import for_this_person_only, is_editor
from stances.reading import country_timelines
from stances.reading.history import published_question_with_history_or_404
from stances.reading.member_states import member_states
from stances.reading.overview import overviews_and_matrix
from stances.reading.questions import published_question_or_404
from stances.reading.snapshots import take_snapshot


def home(request):
    scales = Question.objects.published_with_scales()
    stances = Stance.objects.filter(question__in=scales).select_related("position")
    latest_changes = (
        StanceChange.objects.filter(stance__question__in=scales)
        .select_related("position", "stance__member_state", "stance__question")
        .order_by("-recorded_at", "-id")[:10]
    )
    overviews, matrix = overviews_and_matrix(scales, member_states(request), stances)
    context = {"overviews": overviews, "matrix": matrix, "latest_changes": latest_changes}
    return render(request, "stances/home.html", context)


def about(request):
    """How positions are recorded and counted, where the figures come from, reusing the data."""
    return render(request, "stances/about.html", {"union": union, "voting": voting})


# ?changes=all lists every entry of a long timeline in the panel.
ALL_CHANGES = "all"


def question(request, slug):
    return question_page(request, slug)


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
    if request.GET.get("changes", ALL_CHANGES) != ALL_CHANGES:
        # Translators: "changes" is a parameter of the address and "all" its one value: keep both.
        message = _("“changes” takes one value, all: every change of the timeline.")
        return bad_request(request, message)
    question, positions, history = published_question_with_history_or_404(request, slug)
    today = timezone.localdate()
    panel_member_state, answer = panel_request(request, question, positions, panel_code, as_of)
    if answer is not None:
        return answer
    snapshot = take_snapshot(
        question,
        as_of,
        member_states(request),
        positions=positions,
        with_timeline_of=panel_member_state,
        whole_timeline=request.GET.get("changes") == ALL_CHANGES,
    )
    try:
        rows = arrange(
            snapshot.rows,
            request.GET.get("sort", ""),
            request.GET.get("position", ""),
            [p.key for p in positions],
        )
    except BadTableRequest as error:
        return bad_request(request, str(error))
    context = map_context(snapshot) | {
        "rows": rows,
        "sort": request.GET.get("sort", ""),
        "position_filter": request.GET.get("position", ""),
        "sort_labels": SORT_LABELS,
        "panel": panel_of(request, question, panel_member_state, snapshot.panel_timeline, as_of),
        "share": sharing(request, question, as_of),
        "slider": Slider.of(history.dates, as_of, today),
        "today": today.isoformat(),  # the latest date the as-of control offers
        "last_updated": history.last_recorded,
    }
    fragment = {"snapshot": "#snapshot", "table": "#table"}.get(request.htmx.target, "")
    return render(request, f"stances/question.html{fragment}", context)


def panel_request(request, question, positions, panel_code, as_of):
    """The member state whose timeline is open (None), and the answer when the panel's own
    request settles it: a redirect to the address's canonical form, the panel alone for
    htmx, or its empty hint when it is closed."""
    member_state = None
    if panel_code is not None:
        member_state = member_state_in_address(request, panel_code)
        if redirect := canonical_redirect(request, panel_code, member_state):
            return member_state, redirect
        if request.htmx.target == "panel":
            return member_state, render_panel(request, question, positions, member_state, as_of)
    if member_state is None and request.htmx.target == "panel":
        context = {"question": question, "as_of": as_of, "panel": None}
        return None, render(request, "stances/question.html#panel", context)
    return member_state, None


def question_embed(request, slug):
    """The map, legend and outcome alone, for an <iframe> on another site.

    `?show=map|legend|outcome` and `?theme=auto|light|dark` say what it shows and how.
    """
    try:
        options = EmbedOptions.of(request.GET)
        snapshot = snapshot_in_address(request, slug)
    except (BadDate, BadEmbedRequest) as error:
        return bad_request(request, str(error))
    context = map_context(snapshot) | {"embed": True, "options": options}
    return render(request, "stances/embed.html", context)


def question_map_svg(request, slug):
    """The coloured map as a standalone SVG file with a title and a legend, for print."""
    try:
        snapshot = snapshot_in_address(request, slug)
    except BadDate as error:
        return bad_request(request, str(error))
    context = map_context(snapshot) | {"embed": True}
    response = render(request, "stances/map.svg", context, content_type="image/svg+xml")
    day = snapshot.as_of or timezone.localdate()
    name = download_name(snapshot.question, day, "svg", kind="map")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def member_state(request, code):
    member_state = member_state_in_address(request, code)
    if redirect := canonical_redirect(request, code, member_state):
        return redirect
    questions = list(Question.objects.published())
    stances = {
        s.question_id: s
        for s in member_state.stances.filter(question__in=questions).select_related("position")
    }
    rows = [(q, stances.get(q.pk)) for q in questions]
    return render(
        request, "stances/member_state.html", {"member_state": member_state, "rows": rows}
    )


def snapshot_in_address(request, slug):
    """The question named by the address, as of its ?as_of= (BadDate if that is no date)."""
    as_of = parse_as_of(request.GET.get("as_of"))
    question, positions = published_question_or_404(request, slug)
    return take_snapshot(question, as_of, member_states(request), positions=positions)


def map_context(snapshot) -> dict:
    """What every drawing of the map needs: the map page, the embed and the SVG."""
    return {"question": snapshot.question, "snapshot": snapshot, "as_of": snapshot.as_of}


def member_state_in_address(request, code) -> MemberState:
    """The member state an address names by ISO or EU code in any case (gr, GR, el), or 404.

    Its own address spells the ISO code in lower case: see canonical_redirect.
    """
    if len(code) == 2 and code.isascii() and code.isalpha():
        code = code.upper()
        for member_state in member_states(request):
            if code in (member_state.code, member_state.eu_code):
                return member_state
    raise Http404("No such member state.")


def canonical_redirect(request, code, member_state):
    """A permanent redirect to the same page under the lower-case ISO code, when the address
    named the member state otherwise (`/countries/EL/` to `/countries/gr/`); else None."""
    canonical = member_state.code.lower()
    if code == canonical:
        return None
    match = request.resolver_match
    url = reverse(match.view_name, kwargs={**match.kwargs, "code": canonical})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def panel_of(request, question, member_state, timeline, as_of=None) -> dict | None:
    """The side panel's content: one member state's timeline (a CountryTimeline, in part when
    long unless ?changes=all), or nothing. Editors also get each listed entry's corrections and
    the readers' reports still open on the record."""
    if member_state is None:
        return None
    panel = {"member_state": member_state, "changes": timeline.changes, "shown": timeline.shown}
    panel |= {"hidden_later": timeline.later, "hidden_earlier": timeline.earlier}
    if timeline.later or timeline.earlier:
        query = {"as_of": as_of.isoformat()} if as_of else {}
        query["changes"] = ALL_CHANGES
        panel["all_url"] = f"{question.timeline_url(member_state)}?{urlencode(query)}"
    if is_editor(request.user):
        for_this_person_only(request)
        StanceChange.attach_corrections(timeline.shown)
        panel["open_reports"] = list(ErrorReport.objects.open_on(question, member_state))
    return panel


def render_panel(request, question, positions, member_state, as_of):
    """Just the timeline for the side panel: three queries, no snapshot."""
    show_all = request.GET.get("changes") == ALL_CHANGES
    timeline = country_timelines.country_timeline(
        question, member_state, positions, as_of, show_all
    )
    StanceChange.attach_sources(timeline.shown)
    panel = panel_of(request, question, member_state, timeline, as_of)
    context = {"question": question, "as_of": as_of, "panel": panel}
    return render(request, "stances/question.html#panel", context)


def sharing(request, question, as_of):
    """Permalink, citation, the embed's address and the query string downloads carry.

    Some downloads and the share image have no language prefix: outside English, their query
    string also names the reader's language (`?lang=`), so that their words come out in it.
    The embed's address has the prefix already, as the page's has.
    """
    shared = _sharing(
        f"{request.scheme}://{request.get_host()}",  # as request.build_absolute_uri() has it
        get_script_prefix(),
        get_language(),
        question.slug,
        question.title,
        as_of,
        timezone.localdate(),
    )
    return dict(shared)  # the caller's own: the kept one is every reader's


# Kept per process by what the links and the citation are made of: three absolute addresses,
# a reverse() and the citation's dates took a quarter of a millisecond on each render.
@functools.lru_cache(maxsize=512)
def _sharing(origin, script_prefix, language, slug, title, as_of, today) -> dict:
    page_url = origin + reverse("question", args=[slug])
    day = as_of or today
    as_of_query = f"?as_of={as_of.isoformat()}" if as_of else ""
    query = as_of_query
    if language and language != ENGLISH:
        query += f"{'&' if query else '?'}{urlencode({LANG_PARAMETER: language})}"
    embed_url = origin + reverse("question_embed", args=[slug])
    return {
        "permalink": permalink(page_url, day),
        "citation": citation(title, day, page_url, today),
        "embed_url": embed_url + as_of_query,
        "embed_base": embed_url,
        "embed_as_of": as_of.isoformat() if as_of else "",
        "embed_heights": HEIGHTS,
        "embed_script": origin + static("stances/embed.js"),
        "query": query,
    }


def bad_request(request, message):
    """A 400 that says what was wrong: the whole page, or just the message for htmx."""
    template = "stances/bad_request.html" + ("#message" if request.htmx else "")
    return render(request, template, {"message": message}, status=400)
