"""`{% load days %}`, then `{{ a_date|day:"j M Y" }}`: Django's date filter, remembered.

The map page writes the same few hundred calendar dates on every render (27 rows, 27
countries, their sources), and formatting one costs a dozen locale look-ups; a calendar date
formats the same way for a given format and language, so each is formatted once per process.
"""

import datetime
import functools

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import get_language

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def day(value, arg=None):
    # A datetime depends on the time zone, so only plain dates are remembered.
    if type(value) is datetime.date:
        return _formatted(value, arg, get_language())
    return date_filter(value, arg)


@functools.lru_cache(maxsize=8192)
def _formatted(value: datetime.date, arg, language) -> str:
    return date_filter(value, arg)
