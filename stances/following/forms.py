"""The follow form: an address, how often, and what; a field people never see, for bots."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stances.bot_trap import BotTrap
from stances.following.addresses import check_address
from stances.following.subscribing import Subject
from stances.models import Frequency

# Frequency's choices, named in the reader's language.
FREQUENCIES = [
    (Frequency.INSTANT, _("As it happens")),
    (Frequency.DAILY, _("Once a day")),
]


class FollowForm(BotTrap):
    prefix = "follow"

    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text=_("We send a link to confirm first; nothing else until you do."),
        error_messages={"required": _("Enter the email address to send the alerts to.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=FREQUENCIES,
        initial=Frequency.INSTANT,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(widget=forms.HiddenInput, max_length=120)

    def clean_email(self):
        try:
            return check_address(self.cleaned_data["email"])
        except ValidationError as error:
            if error.code == "invalid":
                raise ValidationError(
                    gettext("Enter an email address like name@example.org."), code="invalid"
                ) from error
            raise

    def clean_subject(self):
        subject = Subject.from_key(self.cleaned_data["subject"])
        if subject is None:
            raise ValidationError(gettext("This page can no longer be followed."), code="unknown")
        return subject
