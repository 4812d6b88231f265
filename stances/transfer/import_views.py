"""The admin's import of stance changes: upload or paste, map the columns, preview, confirm."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from redis import RedisError

from stances import records
from stances.models import Confidence, Question, StanceChange
from stances.transfer import columns, importing, values

# The uploaded file waits here between the steps. The cache is shared by every app server
# (Redis in production), so the next step may reach another one.
PREVIEW_SECONDS = 60 * 60
IMPORT_PERMISSIONS = ["stances.add_stancechange", "stances.add_stance", "stances.add_source"]
MAPPED, CONFIRMED = "map", "confirm"
CORRECT_ALL, CORRECT_NONE, CORRECT_TICKED = "all", "none", "ticked"


class UploadForm(forms.Form):
    question = forms.ModelChoiceField(
        queryset=Question.objects.order_by("title"),
        required=False,
        label=gettext_lazy("Question"),
        empty_label=gettext_lazy("From a column of the file (its slug)"),
        help_text=gettext_lazy(
            "The question every row is about, unless the file names it in a column."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy(
            "CSV (UTF-8; commas, semicolons or tabs) or Excel (.xlsx), one row per "
            "change and source. At most 5 MB."
        ),
    )
    pasted = forms.CharField(
        label=gettext_lazy("Or paste cells"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80, "spellcheck": "false"}),
        help_text=gettext_lazy("Copied from a spreadsheet, the header row included."),
    )

    def clean(self):
        upload, pasted = self.cleaned_data.get("file"), self.cleaned_data.get("pasted", "")
        if upload and pasted.strip():
            raise ValidationError(_("Upload a file or paste cells, not both."))
        if not upload and not pasted.strip():
            raise ValidationError(_("Choose a file to upload, or paste cells from a spreadsheet."))
        if upload and upload.size > importing.MAX_BYTES:
            raise ValidationError(too_large_message(upload.size))
        self.content = upload.read() if upload else pasted.encode()
        # Translators: stands for a file's name, as in "Preview of the pasted cells".
        self.name = upload.name if upload else _("the pasted cells")
        try:
            self.table = importing.read_table(self.content)
        except importing.BadFile as error:
            raise ValidationError(str(error)) from None
        return self.cleaned_data


class MappingForm(forms.Form):
    """What each column means, and what holds for every row: the mapping step."""

    question = UploadForm.base_fields["question"]
    confidence = forms.ChoiceField(
        choices=[("", gettext_lazy("From a column of the file")), *Confidence.choices],
        required=False,
        label=gettext_lazy("Confidence"),
        help_text=gettext_lazy(
            "One confidence for every row, unless the file gives it in a column."
        ),
    )
    date_order = forms.ChoiceField(
        label=gettext_lazy("Dates such as 03/04/2024 are"),
        choices=values.DATE_ORDERS,
        required=False,
        widget=forms.RadioSelect,
    )
    corrections = forms.ChoiceField(
        label=gettext_lazy("Corrections"),
        choices=[
            (CORRECT_ALL, gettext_lazy("Correct each of these entries")),
            (CORRECT_NONE, gettext_lazy("Record each as a new entry beside the recorded one")),
            (
                CORRECT_TICKED,
                gettext_lazy("Correct the entries ticked below, record the others as new"),
            ),
        ],
        initial=CORRECT_ALL,
        required=False,
        widget=forms.RadioSelect,
    )
    corrected = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.guessed = columns.guess(table.header)
        for index, meaning in enumerate(self.guessed):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=table.header[index] or _("Column %(number)s") % {"number": index + 1},
                choices=columns.CHOICES,
                initial=meaning,
                required=False,
            )
        self.fields["corrected"].choices = [(i, i) for i in range(importing.MAX_ROWS)]
        orders = importing.date_orders_possible(table, self.guessed)
        if len(orders) == 1:
            self.fields["date_order"].initial = next(iter(orders))

    @property
    def column_fields(self):
        return [self[f"column_{i}"] for i in range(len(self.table.header))]

    def clean(self):
        data = self.cleaned_data
        self.meanings = [data.get(f"column_{i}", "") for i in range(len(self.table.header))]
        orders = importing.date_orders_possible(self.table, self.meanings)
        if not data.get("date_order"):
            if len(orders) > 1:
                raise ValidationError(
                    _(
                        "The dates could be read either way (every day and month is 12 or "
                        "less): say whether 03/04/2024 is 3 April or 4 March."
                    )
                )
            data["date_order"] = next(iter(orders), values.DAY_FIRST)
        self.options = importing.Options(
            question=data.get("question"),
            confidence=data.get("confidence", ""),
            date_order=data["date_order"],
        )
        if problems := importing.mapping_problems(self.meanings, self.options):
            raise ValidationError(problems)
        return data

    @property
    def chosen_corrections(self):
        """Which of the plan's corrections to make: their indexes, or None for all."""
        choice = self.cleaned_data.get("corrections") or CORRECT_ALL
        if choice == CORRECT_ALL:
            return None
        return set(self.cleaned_data["corrected"]) if choice == CORRECT_TICKED else set()


def import_changes(request):
    """Upload or paste, map the columns, preview every row, confirm; under /admin/, for those
    who may add changes."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    if request.method == "POST" and too_large(request):
        # Said before a byte of the body is read: Django would otherwise take it all in first.
        message = _(
            "The upload is over %(limit)s MB, the largest file accepted. Split it into several "
            "files and import each."
        ) % {"limit": importing.MAX_BYTES // 1024 // 1024}
        return render_import_page(request, {"form": UploadForm(), "too_large": message}, 413)
    if request.method == "POST" and "token" in request.POST:
        return mapped(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render_import_page(request, {"form": form})
    if not form.is_valid():
        return render_import_page(request, {"form": form}, status=400)
    token = secrets.token_urlsafe(16)
    try:
        cache.set(cache_key(request, token), form.content, PREVIEW_SECONDS)
    except RedisError:
        return cache_away(request)
    initial = {"question": form.cleaned_data["question"]}
    mapping = MappingForm(initial=initial, table=form.table)
    return render_mapping(request, mapping, token, form.name)


def expired(request):
    message = _("This preview has expired or was already imported: upload the file again.")
    context = {"form": UploadForm(), "error": message}
    return render_import_page(request, context, status=400)


def mapped(request):
    """The mapping step's answer: the preview (step MAPPED) or the import (step CONFIRMED)."""
    token, name = request.POST["token"], request.POST.get("file_name", "")
    key = cache_key(request, token)
    try:
        content = cache.get(key)
    except RedisError:
        return cache_away(request)
    if content is None:
        return expired(request)
    table = importing.read_table(content)  # it was read at the upload: it reads again
    mapping = MappingForm(request.POST, table=table)
    if not mapping.is_valid():
        return render_mapping(request, mapping, token, name, status=400)
    rows = importing.rows_of(table, mapping.meanings)
    if request.POST.get("step") != CONFIRMED:
        plan = importing.check(rows, mapping.options)
        return render_plan(request, plan, mapping, token, name)
    try:
        plan = importing.import_changes(
            rows,
            mapping.options,
            request.user,
            mapping.chosen_corrections,
            previewed=request.POST.get("plan", ""),
        )
    except importing.Rejected as rejected:
        # The records moved since the preview; show what would happen now.
        error = _(
            "Nothing was written: the records changed since the preview, and some rows "
            "are now rejected."
        )
        return render_plan(request, rejected.plan, mapping, token, name, error, 409)
    except importing.RecordsMoved as moved:
        error = _(
            "Nothing was written: the records changed since the preview. Check what the "
            "file would do now, below, and import again."
        )
        return render_plan(request, moved.plan, mapping, token, name, error, 409)
    except records.StaleVersion:
        error = _(
            "Nothing was written: an editor saved one of these stances at the same moment. "
            "Check the preview again and confirm."
        )
        plan = importing.check(rows, mapping.options)
        return render_plan(request, plan, mapping, token, name, error, 409)
    cache.delete(key)
    messages.success(request, recorded_message(plan, name or _("the file")))
    return redirect("admin:stances_stancechange_changelist")


def recorded_message(plan, name: str) -> str:
    """What the import did, for the message on the changes list."""
    counts = {
        "new": len(plan.new),
        "corrected": len(plan.corrections),
        "name": name,
        "already": len(plan.already_recorded),
    }
    if plan.corrections:
        # Translators: the English singular reads "changes" too, as the site has always said;
        # use your language's forms for %(new)s changes.
        message = ngettext(
            "Recorded %(new)s changes and corrected %(corrected)s entries from %(name)s; "
            "%(already)s were already recorded.",
            "Recorded %(new)s changes and corrected %(corrected)s entries from %(name)s; "
            "%(already)s were already recorded.",
            counts["new"],
        )
    else:
        # Translators: the English singular reads "changes" too, as the site has always said;
        # use your language's forms for %(new)s changes.
        message = ngettext(
            "Recorded %(new)s changes from %(name)s; %(already)s were already recorded.",
            "Recorded %(new)s changes from %(name)s; %(already)s were already recorded.",
            counts["new"],
        )
    return message % counts


def too_large(request) -> bool:
    """By the Content-Length the client sent; the form's own fields take a few KB at most."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > importing.MAX_BYTES + 64 * 1024


def too_large_message(size: int) -> str:
    return _(
        "The file is %(size)s MB; files up to %(limit)s MB are accepted. Split it into "
        "smaller files."
    ) % {
        "size": number_format(size / 1024 / 1024, 1),
        "limit": importing.MAX_BYTES // 1024 // 1024,
    }


def cache_away(request):
    message = _(
        "Nothing was written: the file waits in the cache between the steps, and the cache is "
        "not answering. Try again in a minute."
    )
    return render_import_page(request, {"form": UploadForm(), "error": message}, status=503)


def cache_key(request, token):
    return f"stances:import:{request.user.pk}:{token}"


def render_mapping(request, mapping, token, name, status=200):
    context = {"mapping": mapping, "token": token, "file_name": name}
    shown = importing.columns_of(mapping.table, mapping.guessed)
    context["columns"] = list(zip(shown, mapping.column_fields, strict=True))
    return render_import_page(request, context, status)


def render_plan(request, plan, mapping, token, name, error="", status=None):
    context = {"plan": plan, "mapping": mapping, "token": token, "file_name": name}
    context["error"] = error
    return render_import_page(request, context, status or (400 if plan.rejections else 200))


def render_import_page(request, context, status=200):
    context = {
        **admin.site.each_context(request),
        "opts": StanceChange._meta,
        "title": _("Import changes from a spreadsheet"),
        "meanings": columns.MEANINGS,
        **context,
    }
    return TemplateResponse(
        request, "admin/stances/stancechange/import.html", context, status=status
    )
