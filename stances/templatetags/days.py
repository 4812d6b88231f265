"""`{% load days %}`, then `{{ a_date|day:"j M Y" }}`: Django's date filter, remembered for
calendar dates (stances.dates.formatted says why)."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter

from stances.dates import formatted

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def day(value, arg=None):
    # A datetime depends on the time zone, so only plain dates are remembered.
    if type(value) is datetime.date:
        return formatted(value, arg)
    return date_filter(value, arg)
