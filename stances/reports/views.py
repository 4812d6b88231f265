"""Readers report an error in a record; editors work through the reports in the admin."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from stances.clients import client_address
from stances.models import MemberState
from stances.rate_limits import WINDOW_SECONDS, counted_over
from stances.reading.questions import published_question_or_404
from stances.reports.forms import ReportForm

# Reports an hour from one network: more than a newsroom sends, too few to flood the queue.
PER_NETWORK = 10
FORM = "stances/reports/_form.html"


@csrf_exempt  # on cached pages shared by all readers: no per-reader token can be in the form
@require_POST
def report_error(request, slug, code):
    question, _ = published_question_or_404(request, slug)
    if not MemberState.is_url_code(code):  # before any query: PostgreSQL refuses NUL outright
        raise Http404("No such member state.")
    member_state = get_object_or_404(MemberState, code=code.upper())
    form = ReportForm(request.POST)
    context = {"question": question, "member_state": member_state, "report_form": form}
    if form.is_bot:
        return _thanked(request, context)  # as if it had gone through
    if not form.is_valid():
        return _form(request, context, status=400)
    if counted_over("report-throttle:net", client_address(request), PER_NETWORK):
        response = _form(request, context | {"throttled": True}, status=429)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    form.instance.question, form.instance.member_state = question, member_state
    form.save()
    return _thanked(request, context)


def _form(request, context, *, status):
    template = FORM if request.htmx else "stances/reports/page.html"
    return render(request, template, context, status=status)


def _thanked(request, context):
    template = "stances/reports/page.html" + ("#thanked" if request.htmx else "")
    return render(request, template, context | {"thanked": True})
