"""The queue of readers' reports: open ones first, each linked to its question and country,
worked through by setting a status and a note (audited, as every edit)."""

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from stances.models import ErrorReport, ReportStatus

# The queue's order: what needs work first, then by when it came.
STATUS_ORDER = [ReportStatus.OPEN, ReportStatus.IN_PROGRESS, ReportStatus.FIXED]
# What the editor is told once reports are marked, per status (a whole sentence for each).
MARKED = {
    ReportStatus.IN_PROGRESS: lambda n: ngettext(
        "%(count)d report marked in progress.", "%(count)d reports marked in progress.", n
    ),
    ReportStatus.FIXED: lambda n: ngettext(
        "%(count)d report marked fixed.", "%(count)d reports marked fixed.", n
    ),
    ReportStatus.REJECTED: lambda n: ngettext(
        "%(count)d report marked rejected.", "%(count)d reports marked rejected.", n
    ),
}


@admin.register(ErrorReport)
class ErrorReportAdmin(SimpleHistoryAdmin):
    list_display = ["reported_at", "status", "member_state", "question", "what_in_short", "record"]
    list_display_links = ["reported_at", "what_in_short"]
    list_filter = ["status", "question", "member_state"]
    search_fields = ["what", "source_url", "email", "note"]
    list_select_related = ["question", "member_state"]
    readonly_fields = ["question", "member_state", "what", "source_url", "email", "reported_at"]
    fields = [*readonly_fields, "record", "status", "note"]
    actions = ["mark_in_progress", "mark_fixed", "mark_rejected"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "record"]

    def get_queryset(self, request):
        whens = [When(status=status, then=Value(i)) for i, status in enumerate(STATUS_ORDER)]
        rank = Case(*whens, default=Value(len(STATUS_ORDER)), output_field=IntegerField())
        return super().get_queryset(request).alias(rank=rank).order_by("rank", "-reported_at")

    def has_add_permission(self, request):
        return False  # reports come from readers

    @admin.display(description=gettext_lazy("What is wrong"))
    def what_in_short(self, report):
        return report.what if len(report.what) <= 80 else report.what[:79] + "…"

    @admin.display(description=pgettext_lazy("the record a report is about", "Record"))
    def record(self, report):
        # Translators: a link to the record a report is about, on its question's map page.
        text = _("%(member_state)s on the map page") % {
            "member_state": report.member_state.local_name
        }
        return format_html('<a href="{}">{}</a>', report.get_absolute_url(), text)

    def _mark(self, request, queryset, status):
        # One by one, so that each change is in the report's history with who made it.
        for report in queryset:
            report.status = status
            report._history_user = request.user
            report.save(update_fields=["status"])
        count = len(queryset)
        messages.success(request, MARKED[status](count) % {"count": count})

    @admin.action(description=gettext_lazy("Mark as in progress"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._mark(request, queryset, ReportStatus.IN_PROGRESS)

    @admin.action(description=gettext_lazy("Mark as fixed"), permissions=["change"])
    def mark_fixed(self, request, queryset):
        self._mark(request, queryset, ReportStatus.FIXED)

    @admin.action(description=gettext_lazy("Mark as rejected"), permissions=["change"])
    def mark_rejected(self, request, queryset):
        self._mark(request, queryset, ReportStatus.REJECTED)
