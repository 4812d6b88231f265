"""Pages for readers."""

from django.shortcuts import get_object_or_404, render

from stances.models import MemberState, Question, Stance, StanceChange
from stances.overview import overviews_and_matrix
from stances.snapshots import take_snapshot


def home(request):
    questions = list(Question.objects.published().prefetch_related("positions"))
    member_states = list(MemberState.objects.all())
    stances = Stance.objects.filter(question__in=questions).select_related("position")
    latest_changes = (
        StanceChange.objects.filter(stance__question__in=questions)
        .select_related("position", "stance__member_state", "stance__question")
        .order_by("-recorded_at", "-id")[:10]
    )
    overviews, matrix = overviews_and_matrix(questions, member_states, stances)
    context = {"overviews": overviews, "matrix": matrix, "latest_changes": latest_changes}
    return render(request, "stances/home.html", context)


def question(request, slug):
    question = get_object_or_404(Question.objects.published(), slug=slug)
    snapshot = take_snapshot(question)
    return render(request, "stances/question.html", {"question": question, "snapshot": snapshot})


def member_state(request, code):
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
