"""The admin's pages for following: endpoints and their health, deliveries with every attempt
and a Redeliver button, and the readers' subscriptions (addresses, choices, consent times)."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stances.following import tasks, webhooks
from stances.models import (
    Alert,
    DeliveryState,
    Subscription,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class EndpointForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "secret", "questions", "member_states", "is_active"]
        widgets = {
            "url": forms.URLInput(attrs={"size": 60}),
            "secret": forms.TextInput(attrs={"size": 60}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("secret", webhooks.new_secret())

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhooks.check_url(url)
        except webhooks.RefusedAddress as error:
            raise forms.ValidationError(str(error)) from error
        return url

    def clean_secret(self):
        secret = self.cleaned_data["secret"].strip()
        if not webhooks.is_secret(secret):
            raise forms.ValidationError(
                _(
                    "Use a secret of the form whsec_ followed by at least 16 bytes in base64 (as "
                    "suggested), so that the receiver's Standard Webhooks library can read it."
                )
            )
        return secret

    def save(self, commit=True):
        endpoint = super().save(commit=False)
        if endpoint.is_active:  # turned back on by hand: its day of failures starts again
            endpoint.disabled_reason, endpoint.failing_since = "", None
        if commit:
            endpoint.save()
            self.save_m2m()
        return endpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = [
        "name",
        "url",
        "is_active",
        "delivered_today",
        "pending",
        "failed_today",
        "failing_since",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["disabled_reason", "failing_since", "created_at"]
    filter_horizontal = ["questions", "member_states"]

    def get_exclude(self, request, obj=None):
        # Whoever may only look (editors) sees the health, never the secret.
        return [] if self.has_change_permission(request, obj) else ["secret"]

    def get_queryset(self, request):
        day_ago = timezone.now() - datetime.timedelta(days=1)
        recent = Q(deliveries__created_at__gte=day_ago)
        return (
            super()
            .get_queryset(request)
            .annotate(
                delivered_count=Count(
                    "deliveries", filter=recent & Q(deliveries__state=DeliveryState.DELIVERED)
                ),
                pending_count=Count(
                    "deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)
                ),
                failed_count=Count(
                    "deliveries", filter=recent & Q(deliveries__state=DeliveryState.FAILED)
                ),
            )
        )

    @admin.display(description=gettext_lazy("delivered (24 h)"), ordering="delivered_count")
    def delivered_today(self, endpoint):
        return endpoint.delivered_count

    @admin.display(description=gettext_lazy("waiting"), ordering="pending_count")
    def pending(self, endpoint):
        return endpoint.pending_count

    @admin.display(description=gettext_lazy("failed (24 h)"), ordering="failed_count")
    def failed_today(self, endpoint):
        return endpoint.failed_count


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["started_at", "status_code", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "message_id",
        "endpoint",
        "change",
        "state",
        "attempt_count",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["state", "endpoint"]
    search_fields = ["message_id", "endpoint__name"]
    list_select_related = ["endpoint", "change__stance__member_state", "change__position"]
    readonly_fields = [
        "endpoint",
        "change",
        "message_id",
        "payload",
        "state",
        "created_at",
        "next_attempt_at",
        "delivered_at",
    ]
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["redeliver"]
    change_form_template = "admin/stances/webhookdelivery/change_form.html"

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attempts_made=Count("attempts"))

    @admin.display(description=gettext_lazy("attempts"), ordering="attempts_made")
    def attempt_count(self, delivery_row):
        return delivery_row.attempts_made

    @admin.action(description=gettext_lazy("Redeliver the selected deliveries (same message ids)"))
    def redeliver(self, request, queryset):
        queued = tasks.redeliver(queryset)
        done = ngettext(
            "%(count)d delivery queued again.", "%(count)d deliveries queued again.", queued
        ) % {"count": queued}
        self.message_user(request, done, messages.SUCCESS)

    def get_urls(self):
        redeliver_one = path(
            "<int:pk>/redeliver/",
            self.admin_site.admin_view(self.redeliver_one),
            name="stances_webhookdelivery_redeliver",
        )
        return [redeliver_one, *super().get_urls()]

    def redeliver_one(self, request, pk):
        if request.method != "POST" or not self.has_change_permission(request):
            return redirect(reverse("admin:stances_webhookdelivery_change", args=[pk]))
        found = get_object_or_404(WebhookDelivery, pk=pk)
        tasks.redeliver([found])
        done = _("%(message_id)s queued again.") % {"message_id": found.message_id}
        self.message_user(request, done, messages.SUCCESS)
        return redirect(reverse("admin:stances_webhookdelivery_change", args=[pk]))


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["follower", "question", "member_state", "frequency", "confirmed_at"]
    list_filter = ["frequency", "question", "member_state"]
    search_fields = ["follower__email"]
    list_select_related = ["follower", "question", "member_state"]
    readonly_fields = ["follower", "question", "member_state", "confirmed_at"]

    def has_add_permission(self, request):
        return False  # only the reader's own confirmation makes one (double opt-in)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["change", "follower", "frequency", "created_at", "sent_at"]
    list_filter = ["frequency", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["follower__email"]
    list_select_related = ["follower", "change__stance__member_state", "change__position"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
