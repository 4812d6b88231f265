"""`{% report_form question member_state %}`: the "Report an error" form on a country's panel.

A tag rather than context from the view, so that the pages wing need not know the form. The
empty form depends only on the question's and member state's addresses, the member state's
name and the language, so each process writes it once for each, as the follow form: its
widgets, rendered through templates, were a third of an editor's save response."""

import functools
from types import SimpleNamespace

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
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


@functools.lru_cache(maxsize=1024)
def _empty_form(slug, code, name, language, script_prefix) -> SafeString:
    # Keyed by all the template reads of the question (its slug, for the form's address) and of
    # the member state (its code, and its name in the active language), and by where the
    # address points: the language's prefix and the script prefix.
    context = {
        "report_form": ReportForm(),
        "question": SimpleNamespace(slug=slug),
        "member_state": SimpleNamespace(code=code, local_name=name),
    }
    return render_to_string("stances/reports/_form.html", context)
