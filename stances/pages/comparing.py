"""Two dates compared: a question's map with the moves marked, and a member state's questions."""

from django.db.models import Min
from django.shortcuts import render
from django.urls import reverse

from stances.dates import BadDate, parse_period
from stances.models import Question, StanceChange
from stances.pages.views import bad_request, canonical_redirect, member_state_in_address
from stances.reading.comparison import compare_member_state, comparison_asked
from stances.reading.history import published_question_with_history_or_404

# Past this, the page sends readers to the downloads: a list of thousands helps nobody.
MOVES_LISTED = 100


def question_compare(request, slug):
    """`/questions/<slug>/compare/?from=…&to=…`; htmx asks for the comparison alone."""
    question, positions, history = published_question_with_history_or_404(request, slug)
    try:
        comparison = comparison_asked(request, question, positions, history.dates)
    except BadDate as error:
        return bad_request(request, str(error))
    context = {
        "question": question,
        "comparison": comparison.with_sources(shown=MOVES_LISTED),
        "first_record": comparison.first_record,
        "compare_url": reverse("question_compare", args=[question.slug]),
    }
    fragment = "#comparison" if request.htmx.target == "comparison" else ""
    return render(request, f"stances/compare.html{fragment}", context)


def member_state_compare(request, code):
    """`/countries/<code>/compare/?from=…&to=…`: the member state on every published question."""
    member_state = member_state_in_address(request, code)
    if redirect := canonical_redirect(request, code, member_state):
        return redirect
    scales = Question.objects.published_with_scales()
    first_record = StanceChange.objects.filter(
        stance__member_state=member_state, stance__question__in=list(scales)
    ).aggregate(first=Min("effective_on"))["first"]
    try:
        from_date, to_date = parse_period(
            request.GET.get("from"), request.GET.get("to"), first_record
        )
    except BadDate as error:
        return bad_request(request, str(error))
    context = {
        "member_state": member_state,
        "lines": compare_member_state(member_state, scales, from_date, to_date),
        "from_date": from_date,
        "to_date": to_date,
        "first_record": first_record,
        "compare_url": reverse("member_state_compare", args=[member_state.code.lower()]),
    }
    fragment = "#comparison" if request.htmx.target == "comparison" else ""
    return render(request, f"stances/member_state_compare.html{fragment}", context)
