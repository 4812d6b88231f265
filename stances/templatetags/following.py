"""`{% follow_form %}`: the follow form on a page, for a question, a member state or everything.

A tag rather than context from the view, so that the pages wing need not know the form.
`subscription|subject_name` and `subscriptions|subject_names`: what they follow, named in the
reader's language."""

from django import template

from stances.following import subscribing
from stances.following.forms import FollowForm
from stances.following.subscribing import Subject

register = template.Library()


@register.inclusion_tag("stances/following/_form.html")
def follow_form(question=None, member_state=None):
    subject = Subject(question=question, member_state=member_state)
    return {"follow_form": FollowForm(initial={"subject": subject.key}), "subject": subject}


@register.filter
def subject_name(subscription) -> str:
    """What one subscription follows, in the active language."""
    return subscribing.subject_name(subscription.question, subscription.member_state)


@register.filter
def subject_names(subscriptions) -> str:
    """What these subscriptions follow, one after the other."""
    return ", ".join(subject_name(subscription) for subscription in subscriptions)
