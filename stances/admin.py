"""The Django admin for editors and admins: search, filters, timelines inline, history."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from stances import records, scales
from stances.models import (
    Confidence,
    MemberState,
    Position,
    PositionTranslation,
    Question,
    QuestionTranslation,
    SecurityEvent,
    Source,
    Stance,
    StanceChange,
    validate_not_future,
    validate_not_too_early,
)

# Translators: Stances is the name of the site: keep it as it is.
admin.site.site_header = gettext_lazy("Stances administration")
# Translators: Stances is the name of the site: keep it as it is.
admin.site.site_title = gettext_lazy("Stances admin")
# Translators: the heading of the admin's home page, above the kinds of records.
admin.site.index_title = gettext_lazy("Records")


class VersionCheckedForm(forms.ModelForm):
    """Carries the stance's version so that a save on top of someone else's is refused.

    The admin wraps each save in a transaction: on PostgreSQL the row stays locked from this
    check to the commit, so two racing saves cannot both pass it.
    """

    stance_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def stance_for_version(self):
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stance = self.stance_for_version()
        if stance is not None and not self.is_bound:
            self.fields["stance_version"].initial = stance.version

    def clean(self):
        cleaned = super().clean()
        stance = self.stance_for_version()
        if stance is None:
            return cleaned
        current = Stance.objects.select_for_update().get(pk=stance.pk)
        if cleaned.get("stance_version") != current.version:
            # Let a second save go through deliberately, on top of the record now shown.
            self.data = self.data.copy()
            self.data[self.add_prefix("stance_version")] = current.version
            raise forms.ValidationError(
                _(
                    "Someone else saved this stance after you opened it. Your input is kept below "
                    "and the timeline now shows their change; save again to record yours on top."
                ),
                code="stale",
            )
        return cleaned


class StanceAdminForm(VersionCheckedForm):
    """Records a new entry on the timeline; the stance itself follows from the timeline."""

    new_position = forms.ModelChoiceField(
        Position.objects.select_related("question"),
        required=False,
        label=gettext_lazy("New position"),
    )
    new_effective_on = forms.DateField(
        required=False,
        label=gettext_lazy("Taken on"),
        validators=[validate_not_too_early, validate_not_future],
        help_text=gettext_lazy(
            "When the position was taken in the real world; may be in the past."
        ),
    )
    new_summary = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Summary"),
    )
    new_confidence = forms.ChoiceField(
        choices=[("", "---------"), *Confidence.choices],
        required=False,
        label=gettext_lazy("Confidence"),
    )
    new_sources = forms.ModelMultipleChoiceField(
        Source.objects.all(), required=False, label=gettext_lazy("Sources")
    )

    class Meta:
        model = Stance
        fields = ["question", "member_state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["new_position"].queryset = self.instance.question.positions.all()

    def stance_for_version(self):
        return self.instance if self.instance.pk else None

    def clean(self):
        cleaned = super().clean()
        entry = [cleaned.get(f"new_{name}") for name in ("position", "effective_on", "confidence")]
        if not self.instance.pk and not all(entry):
            raise forms.ValidationError(
                _(
                    "A new stance needs its first entry: a position, the date it was taken and "
                    "a confidence."
                )
            )
        if any(entry) and not all(entry):
            raise forms.ValidationError(
                _("To record a change give the position, the date it was taken and a confidence.")
            )
        position, question = cleaned.get("new_position"), cleaned.get("question")
        if position and question and position.question_id != question.pk:
            self.add_error("new_position", _("This position belongs to another question."))
        if position and position.requires_source and not cleaned.get("new_sources"):
            self.add_error(
                "new_sources",
                _("“%(position)s” needs at least one source.") % {"position": position},
            )
        return cleaned

    def has_new_entry(self):
        return bool(self.cleaned_data.get("new_position"))


class StanceChangeInline(admin.TabularInline):
    """The timeline, newest first, read-only here: corrections open the change itself."""

    model = StanceChange
    fields = ["effective_on", "position", "summary", "confidence", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = StanceChange.NEWEST_FIRST

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("position", "recorded_by")


@admin.register(Stance)
class StanceAdmin(SimpleHistoryAdmin):
    form = StanceAdminForm
    list_display = ["member_state", "question", "position", "confidence", "since", "version"]
    list_filter = [
        "question",
        ("position", admin.RelatedOnlyFieldListFilter),
        "member_state",
        "confidence",
        "since",
    ]
    list_select_related = ["member_state", "question", "position"]
    search_fields = ["member_state__name", "member_state__code", "question__title", "summary"]
    readonly_fields = ["position", "summary", "confidence", "since", "version"]
    inlines = [StanceChangeInline]
    autocomplete_fields = ["question", "member_state"]

    def get_fieldsets(self, request, obj=None):
        entry = ["new_position", "new_effective_on", "new_summary", "new_confidence"]
        entry += ["new_sources", "stance_version"]
        if obj is None:
            return [
                (None, {"fields": ["question", "member_state"]}),
                (_("First entry"), {"fields": entry}),
            ]
        current = ["question", "member_state", *self.readonly_fields]
        return [
            (_("Current record"), {"fields": current}),
            (_("Record a change"), {"fields": entry}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["question", "member_state", *self.readonly_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Borrow the sources widget (autocomplete with "add another") from the change admin.
        sources = StanceChange._meta.get_field("sources")
        field = self.admin_site._registry[StanceChange].formfield_for_dbfield(sources, request)
        form.base_fields["new_sources"].widget = field.widget
        return form

    def save_model(self, request, obj, form, change):
        if not form.has_new_entry():
            return
        data = form.cleaned_data
        entry = records.record_change(
            question=obj.question,
            member_state=obj.member_state,
            position=data["new_position"],
            effective_on=data["new_effective_on"],
            summary=data["new_summary"],
            confidence=data["new_confidence"],
            sources=data["new_sources"],
            user=request.user,
            expected_version=data["stance_version"] if change else None,
        )
        obj.pk = entry.stance_id
        obj.refresh_from_db()


class StanceChangeAdminForm(VersionCheckedForm):
    class Meta:
        model = StanceChange
        fields = ["position", "effective_on", "summary", "confidence", "sources"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["position"].queryset = self.instance.stance.question.positions.all()

    def stance_for_version(self):
        return self.instance.stance if self.instance.pk else None


@admin.register(StanceChange)
class StanceChangeAdmin(SimpleHistoryAdmin):
    """Corrections to an entry of a timeline; new entries are recorded from the stance.

    The CSV import sits among these pages (stances/transfer/import_views.py; its address is
    added in stances/urls.py).
    """

    form = StanceChangeAdminForm
    list_display = [
        "stance",
        "position",
        "effective_on",
        "confidence",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = [
        "stance__question",
        ("position", admin.RelatedOnlyFieldListFilter),
        "stance__member_state",
        "confidence",
        "effective_on",
    ]
    list_select_related = ["stance__member_state", "stance__question", "position", "recorded_by"]
    search_fields = ["stance__member_state__name", "summary", "sources__title", "sources__url"]
    date_hierarchy = "effective_on"
    autocomplete_fields = ["sources"]
    readonly_fields = ["stance", "position_since", "recorded_by", "recorded_at"]
    fields = ["stance", "position", "effective_on", "position_since", "summary", "confidence"]
    fields += ["sources", "recorded_by", "recorded_at", "stance_version"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related writes the entry and its sources together."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        records.amend_change(
            change=form.instance,
            position=data["position"],
            effective_on=data["effective_on"],
            summary=data["summary"],
            confidence=data["confidence"],
            sources=data["sources"],
            user=request.user,
            expected_version=data["stance_version"],
        )

    def delete_model(self, request, obj):
        records.delete_change(change=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for change in queryset.select_related("stance"):
            self.delete_model(request, change)


class ScaleFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if self.instance.is_published and len(kept) < 2:
            raise forms.ValidationError(
                _("A published question needs a scale of at least two positions.")
            )


class ColourChoice(forms.MultiWidget):
    """A position's colour picked from the palette as swatches, or any other hex written in."""

    OTHER = "other"

    SWATCH = (
        '<svg class="swatch" viewBox="0 0 1 1" aria-hidden="true">'
        '<rect width="1" height="1" fill="{}"/></svg>'
    )

    def __init__(self, attrs=None):
        other = gettext_lazy("Another colour, hex")
        widgets = [
            forms.RadioSelect(choices=self.choices(), attrs={"class": "colour-choices"}),
            forms.TextInput(attrs={"size": 8, "placeholder": "#RRGGBB", "aria-label": other}),
        ]
        super().__init__(widgets, attrs)

    def choices(self) -> list:
        """The palette's colours, named in the editor's language."""
        choices = [
            (colour, format_html(self.SWATCH + " {} <code>{}</code>", colour, name, colour))
            for colour, name in scales.PALETTE
        ]
        return [*choices, (self.OTHER, gettext_lazy("Another colour:"))]

    def get_context(self, name, value, attrs):
        # The form's widgets are made once, when the module loads: name the colours now.
        self.widgets[0].choices = self.choices()
        return super().get_context(name, value, attrs)

    def decompress(self, value):
        if not value:
            return [None, ""]
        if value.upper() in {colour for colour, _ in scales.PALETTE}:
            return [value.upper(), ""]
        return [self.OTHER, value]

    def value_from_datadict(self, data, files, name):
        choice, other = super().value_from_datadict(data, files, name)
        if choice == self.OTHER or not choice:
            return (other or "").strip()
        return choice


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["order", "key", "label", "colour", "vote", "requires_source", "description"]
        widgets = {"colour": ColourChoice, "description": forms.Textarea(attrs={"rows": 2})}


class PositionInline(admin.StackedInline):
    """The scale, one position a block: it fits the admin's width, swatches included."""

    model = Position
    form = PositionForm
    formset = ScaleFormSet
    extra = 0
    # Each position's own page holds its words in the other languages.
    show_change_link = True
    fields = [("order", "key", "label"), "colour", ("vote", "requires_source"), "description"]

    def get_extra(self, request, obj=None, **kwargs):
        return len(preset_rows(request, obj))


class QuestionTranslationInline(admin.StackedInline):
    """The question's words in the Union's other languages; a language left out shows the
    English, marked "not yet translated". The positions' words are on each position's page."""

    model = QuestionTranslation
    extra = 0
    fields = ["language", "title", "proposal", "description"]


class PositionTranslationInline(admin.TabularInline):
    model = PositionTranslation
    extra = 0
    fields = ["language", "label", "description"]


def preset_rows(request, question) -> list[dict]:
    """The positions of the preset the add page was opened with (?preset=), if any."""
    preset = scales.BY_KEY.get(request.GET.get("preset", ""))
    if preset is None or (question is not None and question.pk) or request.method != "GET":
        return []
    return scales.rows_of(preset)


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "opened_on", "is_open", "is_published", "followers"]
    list_filter = ["is_open", "is_published", "opened_on"]
    search_fields = ["title", "description", "proposal"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PositionInline, QuestionTranslationInline]
    actions = ["clone_with_scale"]

    class Media:
        css = {"all": ["stances/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(follower_count=Count("subscriptions"))

    @admin.display(description=gettext_lazy("readers following"), ordering="follower_count")
    def followers(self, question):
        """Confirmed addresses that follow this question itself (not "everything")."""
        return question.follower_count

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        chosen = request.GET.get("preset")
        current = mark_safe(' aria-current="true"')  # noqa: S308 - a constant  # nosec B308
        links = format_html_join(
            " · ",
            '<a href="?preset={}"{}>{}</a>',
            ((p.key, current if chosen == p.key else "", p.name) for p in scales.PRESETS),
        )
        start = format_html(
            # Translators: {presets} is the list of the scales' names, each a link.
            _(
                "Start from a scale, every position with a colour-blind-safe colour and how it "
                "counts in a Council vote, all editable below: {presets}."
            ),
            presets=links,
        )
        return [(_("Scale"), {"fields": [], "description": start}), *fieldsets]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PositionInline) and (rows := preset_rows(request, obj)):
            kwargs["initial"] = rows
        return kwargs

    @admin.action(
        description=gettext_lazy("Clone with its scale (as a draft)"), permissions=["add"]
    )
    def clone_with_scale(self, request, queryset):
        clones = [clone_question(question) for question in queryset]
        for clone in clones:
            url = reverse("admin:stances_question_change", args=[clone.pk])
            # Translators: keep the <a> tag and the names in braces as they are.
            cloned = _('Cloned as <a href="{url}">{question}</a>.')
            messages.success(request, format_html(cloned, url=url, question=clone))
        if len(clones) == 1:
            return redirect("admin:stances_question_change", clones[0].pk)
        return None


@transaction.atomic
def clone_question(question: Question) -> Question:
    """A draft copy of a question and its scale, under a title and slug of its own."""
    # Translators: the title of a question's copy, which the editor then changes.
    title, slug, n = _("%(title)s (copy)") % {"title": question.title}, f"{question.slug}-copy", 1
    while Question.objects.filter(Q(title=title) | Q(slug=slug)).exists():
        n += 1
        # Translators: the title of a question's nth copy, which the editor then changes.
        title = _("%(title)s (copy %(number)s)") % {"title": question.title, "number": n}
        slug = f"{question.slug}-copy-{n}"
    positions = list(question.positions.all())
    clone = Question.objects.create(
        title=title[:200],
        slug=slug[:80],
        description=question.description,
        proposal=question.proposal,
        opened_on=question.opened_on,
        is_open=True,
        is_published=False,
    )
    for position in positions:
        position.pk, position.question = None, clone
        position.save()
    return clone


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["label", "question", "order", "vote", "colour", "requires_source"]
    list_filter = ["question", "vote"]
    search_fields = ["label", "key", "question__title"]
    list_select_related = ["question"]
    inlines = [PositionTranslationInline]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "speaker", "url"]
    list_filter = ["publisher", "published_on"]
    search_fields = ["title", "publisher", "url", "quote", "speaker"]
    date_hierarchy = "published_on"


@admin.register(MemberState)
class MemberStateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "eu_code", "capital", "accession_date", "population"]
    list_display += ["population_year"]
    list_filter = ["accession_date"]
    search_fields = ["name", "code", "eu_code", "capital"]

    def has_add_permission(self, request):
        return False  # The 27 are reference data, seeded by a migration.

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: what happened, for admins to review (also in the logs, as JSON lines)."""

    list_display = ["at", "kind", "username", "address", "path"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "address", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
