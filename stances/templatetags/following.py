"""`{% follow_form %}`: the follow form on a page, for a question, a member state or everything.

A tag rather than context from the view, so that the pages wing need not know the form. The
empty form depends only on what it follows and the language, so each process writes it once for
each (a form's widgets, rendered through templates, were a tenth of the map page's render).
`subscription|subject_name` and `subscriptions|subject_names`: what they follow, named in the
reader's language."""

import functools
from types import SimpleNamespace

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from stances.following import subscribing
from stances.following.forms import FollowForm
from stances.following.subscribing import Subject

register = template.Library()


@register.simple_tag
def follow_form(question=None, member_state=None) -> SafeString:
    subject = Subject(question=question, member_state=member_state)
    return _empty_form(subject.key, subject.name, get_language(), get_script_prefix())


@functools.lru_cache(maxsize=256)
def _empty_form(key, name, language, script_prefix) -> SafeString:
    # Keyed by all the form shows, the subject's key and name, and by where its address points,
    # the language's prefix and the script prefix. The template asks of the subject only its
    # name and its kind.
    kind, _sep, _value = key.partition(":")
    subject = SimpleNamespace(
        name=name, question=kind == "question", member_state=kind == "member-state"
    )
    context = {"follow_form": FollowForm(initial={"subject": key}), "subject": subject}
    return render_to_string("stances/following/_form.html", context)


@register.filter
def subject_name(subscription) -> str:
    """What one subscription follows, in the active language."""
    return subscribing.subject_name(subscription.question, subscription.member_state)


@register.filter
def subject_names(subscriptions) -> str:
    """What these subscriptions follow, one after the other."""
    return ", ".join(subject_name(subscription) for subscription in subscriptions)
