"""`{% report_form question member_state %}`: the "Report an error" form on a country's panel.

A tag rather than context from the view, so that the pages wing need not know the form. The
empty form depends only on the question's and member state's addresses, the member state's
name and the language, so each process keeps it for each, as the follow form: its widgets,
rendered through templates, were a third of an editor's save response. It renders the form once
per language and prefix, and each copy from that."""

import functools
from types import SimpleNamespace

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from stances.reports.forms import ReportForm

register = template.Library()


@register.simple_tag
def report_form(question, member_state) -> SafeString:
    return _empty_form(
        question.slug,
        member_state.code,
        member_state.local_name,
        get_language(),
        get_script_prefix(),
    )


# What the form is written with once per language and prefix; each question's and member
# state's copy then puts their own in its place, as the template would have written them.
STAND_IN_SLUG, STAND_IN_CODE, STAND_IN_NAME = "stand-in-question", "zz", "StandInMemberState"


@functools.lru_cache(maxsize=1024)
def _empty_form(slug, code, name, language, script_prefix) -> SafeString:
    # Keyed by all the template reads of the question (its slug, for the form's address) and of
    # the member state (its code, and its name in the active language), and by where the
    # address points: the language's prefix and the script prefix. Written from the stand-in
    # form: rendering the form for each member state took about 3 ms, on the first panel of
    # each in each process (a fifth of an editor's first save on it).
    form = _stand_in_form(language, script_prefix)
    stand_in_address = reverse("report_error", args=[STAND_IN_SLUG, STAND_IN_CODE])
    address = reverse("report_error", args=[slug, code.lower()])
    # Both as the template writes them: the address as it is, the name escaped; the rest is
    # the template's own output.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        form.replace(stand_in_address, address).replace(STAND_IN_NAME, escape(name))
    )


@functools.lru_cache(maxsize=64)
def _stand_in_form(language, script_prefix) -> str:
    context = {
        "report_form": ReportForm(),
        "question": SimpleNamespace(slug=STAND_IN_SLUG),
        "member_state": SimpleNamespace(code=STAND_IN_CODE, local_name=STAND_IN_NAME),
    }
    return render_to_string("stances/reports/_form.html", context)
