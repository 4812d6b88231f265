"""`{% follow_form %}`: the follow form on a page, for a question, a member state or everything.

A tag rather than context from the view, so that the pages wing need not know the form."""

from django import template

from stances.following.forms import FollowForm
from stances.following.subscribing import Subject

register = template.Library()


@register.inclusion_tag("stances/following/_form.html")
def follow_form(question=None, member_state=None):
    subject = Subject(question=question, member_state=member_state)
    return {"follow_form": FollowForm(initial={"subject": subject.key}), "subject": subject}
