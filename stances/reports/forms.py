"""The "Report an error" form: what is wrong, a source if the reader has one, an address for a
reply if they want one; and a field people never see, for bots."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stances.bot_trap import BotTrap
from stances.models import ErrorReport


class ReportForm(BotTrap, forms.ModelForm):
    prefix = "report"

    class Meta:
        model = ErrorReport
        fields = ["what", "source_url", "email"]
        labels = {
            "what": _("What is wrong"),
            "source_url": _("A source that shows it (optional)"),
            "email": _("Your email, if you would like a reply (optional)"),
        }
        help_texts = {
            "what": _("For example the date a position was taken, or a statement that is missing."),
            "email": _("Used only to answer this report."),
        }
        widgets = {
            "what": forms.Textarea(attrs={"rows": 4}),
            "source_url": forms.URLInput(attrs={"placeholder": "https://"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {"what": {"required": _("Say what is wrong, in a few words.")}}
