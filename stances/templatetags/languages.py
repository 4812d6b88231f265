"""`{% load languages %}`: marks for a question's words shown in English for want of a
translation (stances/languages/content.py).

`<h1{{ question|in_english:"title" }}>` gives the element `lang="en"` when its words are the
English ones, so that screen readers read them as English; `question|untranslated:positions`
says whether the page needs its "not yet translated" note.
"""

from django import template
from django.utils.safestring import mark_safe

from stances.languages.content import is_untranslated

register = template.Library()


@register.filter
def in_english(obj, field):
    return mark_safe(' lang="en"') if is_untranslated(obj, field) else ""  # a constant  # nosec B308


@register.filter
def untranslated(question, positions=()):
    return is_untranslated(question) or any(is_untranslated(p) for p in positions or ())
