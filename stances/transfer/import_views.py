"""The admin's CSV import of stance changes: upload, preview every row, confirm."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from redis import RedisError

from stances import records
from stances.models import StanceChange
from stances.transfer import importing

# The uploaded file waits here between the preview and the confirmation. The cache is shared by
# every app server (Redis in production), so the confirmation may reach another one.
PREVIEW_SECONDS = 60 * 60
IMPORT_PERMISSIONS = ["stances.add_stancechange", "stances.add_stance", "stances.add_source"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, one row per change and source, with the columns of the exports. "
        "At most 5 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; files up to "
                f"{importing.MAX_BYTES // 1024 // 1024} MB are accepted. Split it into "
                "smaller files."
            )
        self.content = upload.read()
        try:
            self.plan = importing.preview(self.content)
        except importing.BadFile as error:
            raise ValidationError(str(error)) from None
        return upload


def import_changes(request):
    """Upload, preview every row, confirm; under /admin/, for those who may add changes."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    if request.method == "POST" and too_large(request):
        # Said before a byte of the body is read: Django would otherwise take it all in first.
        message = (
            f"The upload is over {importing.MAX_BYTES // 1024 // 1024} MB, the largest file "
            "accepted. Split it into several files and import each."
        )
        return render_import_page(request, {"form": UploadForm(), "too_large": message}, 413)
    if request.method == "POST" and "token" in request.POST:
        return confirm(request)
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
    context = {"plan": form.plan, "token": token, "file_name": form.cleaned_data["file"].name}
    return render_import_page(request, context, status=400 if form.plan.rejections else 200)


def too_large(request) -> bool:
    """By the Content-Length the client sent; the form's own fields take a few KB at most."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > importing.MAX_BYTES + 64 * 1024


def confirm(request):
    key = cache_key(request, request.POST["token"])
    try:
        content = cache.get(key)
    except RedisError:
        return cache_away(request)
    if content is None:
        form = UploadForm()
        message = "This preview has expired or was already imported: upload the file again."
        return render_import_page(request, {"form": form, "error": message}, status=400)
    file_name = request.POST.get("file_name", "")
    try:
        plan = importing.import_changes(content, request.user)
    except importing.Rejected as rejected:
        # The records moved since the preview; show what would happen now.
        error = "Nothing was written: the records changed since the preview, and some rows "
        error += "are now rejected."
        context = {"plan": rejected.plan, "file_name": file_name, "error": error}
        return render_import_page(request, context, status=409)
    except records.StaleVersion:
        error = "Nothing was written: an editor saved one of these stances at the same moment. "
        error += "Check the preview again and confirm."
        context = {"plan": importing.preview(content), "token": request.POST["token"]}
        context |= {"file_name": file_name, "error": error}
        return render_import_page(request, context, status=409)
    cache.delete(key)
    messages.success(
        request,
        f"Recorded {len(plan.new)} changes from {file_name or 'the file'}; "
        f"{len(plan.already_recorded)} were already recorded.",
    )
    return redirect("admin:stances_stancechange_changelist")


def cache_away(request):
    message = (
        "Nothing was written: the file waits in the cache between the preview and the "
        "confirmation, and the cache is not answering. Try again in a minute."
    )
    return render_import_page(request, {"form": UploadForm(), "error": message}, status=503)


def cache_key(request, token):
    return f"stances:import:{request.user.pk}:{token}"


def render_import_page(request, context, status=200):
    context = {
        **admin.site.each_context(request),
        "opts": StanceChange._meta,
        "title": "Import changes from a CSV file",
        "columns": importing.REQUIRED_COLUMNS + importing.OPTIONAL_COLUMNS,
        **context,
    }
    return TemplateResponse(
        request, "admin/stances/stancechange/import.html", context, status=status
    )
