"""Editing in place: editors record a new position or correct a summary from the map page."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stances import records
from stances.citing import long_date
from stances.models import MemberState, Stance, StanceChange
from stances.pages.forms import CheckForm, CorrectionForm, SourceFormSet, StanceChangeForm
from stances.pages.views import panel_of
from stances.permissions import editor_required
from stances.reading.checks import due_a_check
from stances.reading.member_states import member_states
from stances.reading.questions import published_question_or_404
from stances.reading.snapshots import take_snapshot


class Editing:
    """The stance being edited, as it is in the database now."""

    def __init__(self, request, slug, code):
        if not MemberState.is_url_code(code):
            raise Http404(_("No such member state."))
        # The question with its scale and the member states, as every page of the process reads
        # them (kept while the reference revision stands): the form's positions and the fresh
        # snapshot after a save need them, and an edit of a stance does not change them.
        self.question, self.positions = published_question_or_404(request, slug)
        self.member_states = member_states(request)
        self.member_state = next((m for m in self.member_states if m.code == code.upper()), None)
        if self.member_state is None:
            raise Http404(_("No such member state."))
        # Who recorded the current entry shows on the form; a save that succeeds does not
        # show it (a form sent back with errors reads it then).
        self.load_stance(with_recorder=request.method == "GET")

    def load_stance(self, with_recorder: bool = True):
        """The stance and its current entry, as they are now (again, after a save): one query,
        the entry with its stance, unless nothing is recorded yet."""
        # By the stance's key, as a subquery: PostgreSQL then reads the newest entry off the
        # timeline's index (0.07 ms), where through the join it sorted all of them (1.9 ms for
        # a timeline of 540 entries).
        stance = Stance.objects.filter(question=self.question, member_state=self.member_state)
        related = ["stance", "recorded_by"] if with_recorder else ["stance"]
        self.current = (
            StanceChange.objects.filter(stance=Subquery(stance.order_by().values("pk")[:1]))
            .select_related(*related)
            .first()
        )
        if self.current is None:
            self.stance = stance.first()
            return
        self.stance = self.current.stance
        # Its position from the scale already read, in the reader's words: no join.
        position = next((p for p in self.positions if p.pk == self.current.position_id), None)
        if position is not None:
            self.current.position = position

    @property
    def version(self) -> int:
        return self.stance.version if self.stance else 0

    @property
    def timeline_url(self) -> str:
        return self.question.timeline_url(self.member_state)

    def context(self, **extra):
        return {
            "question": self.question,
            "member_state": self.member_state,
            "stance": self.stance,
            "current": self.current,
            "timeline_url": self.timeline_url,
            **extra,
        }


@editor_required
@require_http_methods(["GET", "POST"])
def edit_stance(request, slug, code):
    editing = Editing(request, slug, code)
    if request.method == "GET":
        initial = {"version": editing.version}
        if editing.current:
            initial |= {
                "position": editing.current.position_id,
                "confidence": editing.current.confidence,
            }
        form = StanceChangeForm(
            initial=initial, positions=editing.positions, current=editing.current
        )
        return render_edit_form(request, editing, form, SourceFormSet(prefix="sources"))

    form = StanceChangeForm(request.POST, positions=editing.positions, current=editing.current)
    sources = SourceFormSet(request.POST, prefix="sources")
    if not form.clean_with_sources(sources):
        return render_edit_form(request, editing, form, sources, status=422)
    data = form.cleaned_data
    try:
        # One transaction: the new sources are saved with the entry, or not at all.
        records.record_change(
            question=editing.question,
            member_state=editing.member_state,
            position=data["position"],
            effective_on=data["effective_on"],
            summary=data["summary"],
            confidence=data["confidence"],
            sources=[*data.get("keep_sources", []), *sources.new_sources()],
            user=request.user,
            expected_version=data["version"],
            stance=editing.stance,
        )
    except (records.StaleVersion, IntegrityError):
        # IntegrityError: someone created this member state's first stance at the same moment.
        editing.load_stance()
        return render_edit_conflict(request, editing, sources)
    saved = _("Saved: %(position)s, taken on %(date)s.") % {
        "position": data["position"],
        "date": long_date(data["effective_on"]),
    }
    return render_saved(request, editing, saved)


@editor_required
@require_http_methods(["GET", "POST"])
def correct_stance(request, slug, code):
    editing = Editing(request, slug, code)
    if editing.current is None:
        raise Http404(_("Nothing recorded yet: there is no summary to correct."))
    if request.method == "GET":
        form = CorrectionForm(
            initial={"summary": editing.current.summary, "version": editing.version}
        )
        return render_correction_form(request, editing, form)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return render_correction_form(request, editing, form, status=422)
    try:
        records.correct_summary(
            change=editing.current,
            summary=form.cleaned_data["summary"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except records.StaleVersion:
        editing.load_stance()
        data = {"summary": form.cleaned_data["summary"], "version": editing.version}
        return render_correction_form(request, editing, CorrectionForm(data), status=409)
    return render_saved(request, editing, _("Summary corrected."))


@editor_required
@require_http_methods(["GET", "POST"])
def check_stance(request, slug, code):
    """Confirm that the current position still holds on a day, citing a source."""
    editing = Editing(request, slug, code)
    if editing.current is None:
        raise Http404(_("Nothing recorded yet: there is no position to confirm."))
    if request.method == "GET":
        initial = {"checked_on": timezone.localdate(), "version": editing.version}
        return render_check_form(
            request, editing, CheckForm(initial=initial, current=editing.current)
        )
    form = CheckForm(request.POST, current=editing.current)
    if not form.is_valid():
        return render_check_form(request, editing, form, status=422)
    try:
        records.confirm_current(
            stance=editing.stance,
            checked_on=form.cleaned_data["checked_on"],
            source=form.source,
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except records.StaleVersion:
        editing.load_stance()
        data = request.POST.copy()
        data["version"] = editing.version  # theirs now; saving again confirms on top of it
        form = CheckForm(data, current=editing.current)
        form.is_valid()
        return render_check_form(request, editing, form, status=409)
    day = long_date(form.cleaned_data["checked_on"])
    return render_saved(
        request, editing, _("Confirmed as still current on %(date)s.") % {"date": day}
    )


def render_check_form(request, editing, form, status=200):
    context = editing.context(check=form, conflict=status == 409)
    return render_fragment(request, editing, "check_form", context, status)


def render_edit_form(request, editing, form, sources, status=200):
    context = editing.context(form=form, sources=sources, conflict=status == 409)
    return render_fragment(request, editing, "edit_form", context, status)


def render_correction_form(request, editing, form, status=200):
    context = editing.context(correction=form, conflict=status == 409)
    return render_fragment(request, editing, "correction_form", context, status)


def render_edit_conflict(request, editing, sources):
    """409: the editor's own input, untouched, beside the record someone else just saved.

    The form now carries the new version, so saving again records the entry on top of theirs.
    """
    data = request.POST.copy()
    data["version"] = editing.version
    form = StanceChangeForm(data, positions=editing.positions, current=editing.current)
    form.is_valid()
    return render_edit_form(request, editing, form, sources, status=409)


def render_fragment(request, editing, name, context, status):
    """htmx gets the form alone, with the map's pieces when they moved; others the page."""
    if request.htmx:
        if context["conflict"]:
            context |= fresh_fragments(request, editing)
        return render(request, f"stances/edit.html#{name}", context, status=status)
    return render(request, "stances/edit.html", context, status=status)


def render_saved(request, editing, message):
    """After a save: the refreshed timeline, plus the map, legend, outcome and table row."""
    if not request.htmx:
        messages.success(request, message)
        return redirect(editing.timeline_url)
    # Not editing.context(): its stance and entry are as they were before the save; the panel
    # shows them as they are now, from the fresh snapshot.
    context = {"question": editing.question, "member_state": editing.member_state, "saved": message}
    context |= fresh_fragments(request, editing)
    return render(request, "stances/edit.html#saved", context)


def fresh_fragments(request, editing):
    """The current snapshot's pieces that change with one stance, for out-of-band swaps.

    The filter chips keep the sort and filter of the page they go back to (htmx says which).
    """
    question, member_state = editing.question, editing.member_state
    snapshot = take_snapshot(
        question,
        member_states=editing.member_states,
        positions=editing.positions,
        with_timeline_of=member_state,
    )
    page_query = parse_qs(urlsplit(request.htmx.current_url or "").query)
    row = next(r for r in snapshot.rows if r.member_state.pk == member_state.pk)
    return {
        "snapshot": snapshot,
        "row": row,
        "panel": panel_of(request, question, member_state, snapshot.panel_timeline),
        "oob": True,
        "sort": page_query.get("sort", [""])[0],
        "position_filter": page_query.get("position", [""])[0],
    }


@editor_required
@require_http_methods(["GET"])
def due_checks(request):
    """The stances of open questions nobody has checked or changed for a while."""
    days = settings.CHECK_AFTER_DAYS
    due = due_a_check(timezone.localdate(), days)
    return render(request, "stances/checks.html", {"due": due, "days": days})
