"""`{% report_form question member_state %}`: the "Report an error" form on a country's panel.

A tag rather than context from the view, so that the pages wing need not know the form."""

from django import template

from stances.reports.forms import ReportForm

register = template.Library()


@register.inclusion_tag("stances/reports/_form.html")
def report_form(question, member_state):
    return {"report_form": ReportForm(), "question": question, "member_state": member_state}
