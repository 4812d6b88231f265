"""`{% load days %}`, then `{{ a_date|day:"j M Y" }}`: Django's date filter, in the reader's
language and remembered for calendar dates (stances/languages/calendar.py says why): once per date,
format and language."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter

from stances.languages.calendar import formatted

register = template.Library()

# Django's format characters that write a time of day or a time zone (and "c", "r", "U", which
# write both a date and a time).
TIME_CHARACTERS = frozenset("aAfgGhHiIOPsTuUeZcr")


@register.filter(expects_localtime=True, is_safe=False)
def day(value, arg=None):
    # A datetime depends on the time zone: it arrives here in the current one, and is written
    # as its calendar date there when the format writes nothing of its time.
    if type(value) is datetime.datetime and arg and not TIME_CHARACTERS.intersection(arg):
        value = value.date()
    if type(value) is datetime.date:
        return formatted(value, arg)
    return date_filter(value, arg)
