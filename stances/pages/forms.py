"""Forms editors fill in on the dashboard: a new entry on a timeline, its sources, a correction,
a check that the position still holds."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stances.citing import long_date
from stances.models import (
    EARLIEST_DATE,
    Confidence,
    Source,
    StanceChange,
    validate_not_future,
    validate_not_too_early,
)

# New sources per save; the form shows the first row and tucks the others under a disclosure.
NEW_SOURCES = 3


class LimitedText(forms.CharField):
    """A text whose limit is checked when the form is sent, with a message saying by how much.

    Not by the browser's maxlength, which cuts a longer text pasted in without a word.
    """

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)


class PositionField(forms.TypedChoiceField):
    """A position of the question's scale, picked among the positions the view read with the
    question: a ModelChoiceField would read the scale again, and then the chosen position."""

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)

    def use(self, positions) -> None:
        by_key = {str(position.pk): position for position in positions}
        self.choices = [(key, str(position)) for key, position in by_key.items()]
        self.coerce = by_key.__getitem__


class StanceChangeForm(forms.Form):
    """A new position (or the same one, restated) with the date it was taken and its sources."""

    position = PositionField(label=gettext_lazy("Position"))
    effective_on = forms.DateField(
        label=gettext_lazy("Taken on"),
        validators=[validate_not_too_early, validate_not_future],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "When the position was taken. It may be in the past, never in the future."
        ),
    )
    confidence = forms.ChoiceField(choices=Confidence.choices, label=gettext_lazy("Confidence"))
    summary = LimitedText(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Summary"),
        help_text=gettext_lazy("One or two sentences; at most 1,000 characters."),
    )
    keep_sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Keep citing"),
    )
    version = VersionField()

    def __init__(self, *args, positions, current: StanceChange | None = None, **kwargs):
        """`positions`: the question's scale, in order; `current`: its entry in force now."""
        super().__init__(*args, **kwargs)
        self.fields["position"].use(positions)
        self.fields["effective_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["effective_on"].widget.attrs["min"] = EARLIEST_DATE.isoformat()
        if current is not None:
            self.fields["keep_sources"].queryset = current.sources.all()
        else:
            del self.fields["keep_sources"]

    def clean_with_sources(self, sources: "SourceFormSet") -> bool:
        """Validate this form and its sources together: a position may require a source."""
        valid = self.is_valid() & sources.is_valid()
        if not valid:
            return False
        position = self.cleaned_data["position"]
        cited = sources.new_sources() or self.cleaned_data.get("keep_sources")
        if position.requires_source and not cited:
            sources.add_first_error(
                _("“%(position)s” needs at least one source.") % {"position": position}
            )
            return False
        return True


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "speaker", "quote"]
        widgets = {
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "url": gettext_lazy("Web address"),
            "title": gettext_lazy("Title"),
            "publisher": gettext_lazy("Publisher"),
            "published_on": gettext_lazy("Published on"),
            "speaker": gettext_lazy("Speaker"),
            "quote": gettext_lazy("Quote"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every field may stay empty in an unused row; a used row needs these three.
        for name in self.fields:
            self.fields[name].required = False
            # As LimitedText: too long is an error on save, never a text cut while pasting.
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean(self):
        cleaned = super().clean()
        if self.has_changed():
            for name in ("url", "title", "publisher"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a source."))
        return cleaned


class BaseSourceFormSet(forms.BaseFormSet):
    def new_sources(self) -> list[Source]:
        """Unsaved Source objects for the rows that were filled in."""
        return [
            Source(**form.cleaned_data)
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]

    def add_first_error(self, message: str) -> None:
        self.forms[0].add_error("url", message)


SourceFormSet = forms.formset_factory(
    SourceForm,
    formset=BaseSourceFormSet,
    extra=NEW_SOURCES,
    max_num=NEW_SOURCES,
    absolute_max=NEW_SOURCES,
    validate_max=True,
)


class CorrectionForm(forms.Form):
    summary = LimitedText(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Corrected summary"),
        help_text=gettext_lazy("At most 1,000 characters."),
    )
    version = VersionField()


class CheckForm(forms.Form):
    """An editor confirms that the current position still holds, citing where it says so."""

    checked_on = forms.DateField(
        label=gettext_lazy("Still current on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_not_too_early, validate_not_future],
        error_messages={
            "required": gettext_lazy("Give the day it was checked."),
            "invalid": gettext_lazy("Use YYYY-MM-DD."),
        },
    )
    source_url = forms.CharField(
        label=gettext_lazy("Source: web address"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=gettext_lazy("Where it says so: a statement, a report, an official page."),
        error_messages={"required": gettext_lazy("Give the source that shows it still holds.")},
    )
    source_title = forms.CharField(
        label=gettext_lazy("Title (optional)"), max_length=300, required=False
    )
    source_publisher = forms.CharField(
        label=gettext_lazy("Publisher (optional)"), max_length=200, required=False
    )
    version = VersionField()

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["checked_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_checked_on(self):
        day = self.cleaned_data["checked_on"]
        if self.current is not None and day < self.current.effective_on:
            raise ValidationError(
                _("The current position was taken on %(date)s: a check comes on or after that day.")
                % {"date": long_date(self.current.effective_on)}
            )
        return day

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.source = Source(
            url=data["source_url"], title=data["source_title"], publisher=data["source_publisher"]
        ).fill_in()
        try:
            self.source.clean_fields(exclude=["published_on"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(
                    f"source_{name}" if f"source_{name}" in self.fields else None, messages
                )
        existing = Source.objects.filter(
            url=self.source.url, title=self.source.title, publisher=self.source.publisher
        ).first()
        self.source = existing or self.source
        return data
