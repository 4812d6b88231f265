"""A field people never see, for the forms anyone may send without signing in (follow, report
an error): a bot that fills every field fills it too, and is answered as if it had worked."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BotTrap(forms.Form):
    # Hidden by CSS (.trap) and aria-hidden; out of the tab order.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))
