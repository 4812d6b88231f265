"""What the worker does with a recorded change: owe it to followers and endpoints, then send.

Every send is claimed first, for a while (`CLAIM_FOR`), so that two workers never send the same
alert and one that dies leaves its claims to run out and be picked up again (sweep.py). An
alert is marked sent in batches, right after its batch went to the mail server: a worker
killed in between may send those few again, but never loses one.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import get_connection, mail_admins
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stances.following import mails, news, webhooks
from stances.models import (
    Alert,
    DeliveryState,
    Frequency,
    Subscription,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

logger = logging.getLogger(__name__)

CLAIM_FOR = datetime.timedelta(minutes=5)
BATCH = 100
# Retries double from WEBHOOK_RETRY_BASE_SECONDS, at most this far apart, for RETRY_FOR.
LONGEST_WAIT = datetime.timedelta(hours=4)
RETRY_FOR = datetime.timedelta(days=1)


def owe_alerts(move: news.Move) -> int:
    """One alert per follower whose subscriptions match: instant if any of them is."""
    matching = Subscription.objects.filter(
        Q(question=move.question)
        | Q(member_state=move.member_state)
        | Q(question=None, member_state=None)
    ).values_list("pk", "follower_id", "frequency")
    chosen: dict[int, tuple[int, str]] = {}
    for pk, follower_id, frequency in matching.order_by("pk"):
        held = chosen.get(follower_id)
        if held is None or (frequency == Frequency.INSTANT and held[1] != Frequency.INSTANT):
            chosen[follower_id] = (pk, frequency)
    Alert.objects.bulk_create(
        [
            Alert(follower_id=f, subscription_id=s, change=move.change, frequency=frequency)
            for f, (s, frequency) in chosen.items()
        ],
        ignore_conflicts=True,  # run again after a crash: the ones made stay as they are
        batch_size=1000,
    )
    return len(chosen)


def owe_deliveries(move: news.Move) -> list[int]:
    """One delivery per active endpoint whose filters let the change through."""
    endpoints = (
        WebhookEndpoint.objects.filter(is_active=True)
        .filter(Q(questions=None) | Q(questions=move.question))
        .filter(Q(member_states=None) | Q(member_states=move.member_state))
        .distinct()
    )
    body = {**news.payload(move), "timestamp": move.change.recorded_at.isoformat()}
    made = []
    for endpoint in endpoints:
        delivery, _created = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            change=move.change,
            defaults={"message_id": webhooks.new_message_id(), "payload": body},
        )
        if delivery.state == DeliveryState.PENDING:
            made.append(delivery.pk)
    return made


def claim_alerts(owed) -> list[Alert]:
    """Up to BATCH unsent alerts of `owed` that nobody holds, now held by this worker."""
    now = timezone.now()
    with transaction.atomic():
        free = owed.filter(sent_at=None).filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        ids = list(
            free.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        Alert.objects.filter(pk__in=ids).update(claimed_until=now + CLAIM_FOR)
    return list(
        Alert.objects.filter(pk__in=ids).select_related(
            "subscription__follower", "subscription__question", "subscription__member_state"
        )
    )


def _send(connection, messages: list[tuple[Alert, object]]) -> None:
    """Send a batch and mark what went; an address the server refuses is not retried."""
    sent = []
    try:
        for alert, message in messages:
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused:
                logger.warning(
                    "The mail server refused %s; alert %s dropped.", alert.follower_id, alert.pk
                )
            sent.append(alert.pk)
    finally:
        Alert.objects.filter(pk__in=sent).update(sent_at=timezone.now(), claimed_until=None)


def send_alerts(change_id: int) -> int:
    """Mail every instant alert owed for a change; how many went."""
    move = news.move_of(change_id)
    if move is None:  # the change went, or its question was unpublished, before we got here
        Alert.objects.filter(change_id=change_id, sent_at=None).delete()
        return 0
    owed = Alert.objects.filter(change_id=change_id, frequency=Frequency.INSTANT)
    # The same for every reader of a language (rendered once for each): only the links differ.
    parts: dict[str, mails.MoveParts] = {}
    count = 0
    with get_connection() as connection:
        while batch := claim_alerts(owed):
            _send(connection, [(a, mails.alert(a.subscription, move, parts)) for a in batch])
            count += len(batch)
    return count


def send_digests() -> int:
    """One mail per address with daily alerts owed, grouping its changes per question."""
    moves: dict[int, news.Move | None] = {}
    owed = Alert.objects.filter(frequency=Frequency.DAILY, sent_at=None)
    count = 0
    with get_connection() as connection:
        for follower_id in list(owed.values_list("follower_id", flat=True).distinct()):
            while batch := claim_alerts(owed.filter(follower_id=follower_id)):
                for alert in batch:
                    if alert.change_id not in moves:
                        moves[alert.change_id] = news.move_of(alert.change_id)
                found = [moves[a.change_id] for a in batch if moves[a.change_id] is not None]
                if found:
                    message = mails.digest(batch[0].subscription.follower, found)
                    _send(connection, [(batch[0], message)])
                    count += 1
                # The rest of the batch went in the same mail (or is gone from the site).
                owed.filter(pk__in=[a.pk for a in batch]).update(
                    sent_at=timezone.now(), claimed_until=None
                )
    return count


def claim_delivery(delivery_id: int) -> WebhookDelivery | None:
    """The delivery, held by this worker, if it is due and nobody else holds it."""
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=2 * settings.WEBHOOK_TIMEOUT_SECONDS + 30)
    held = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .update(claimed_until=lease)
    )
    if not held:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def attempt(delivery_id: int) -> datetime.datetime | None:
    """POST a due delivery once, under its one message id; when to try again, if at all."""
    delivery = claim_delivery(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _finish(delivery, DeliveryState.FAILED)
        return None
    outcome = webhooks.post(endpoint.url, endpoint.secret, delivery.message_id, delivery.payload)
    WebhookAttempt.objects.create(
        delivery=delivery,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        error=outcome.error,
    )
    if outcome.succeeded:
        _finish(delivery, DeliveryState.DELIVERED)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return None
    return note_failure(delivery, outcome)


def _finish(delivery: WebhookDelivery, state: str) -> None:
    delivered_at = timezone.now() if state == DeliveryState.DELIVERED else None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=state, claimed_until=None, delivered_at=delivered_at
    )


def retry_delay(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, … doubling after each failed attempt, never more than 4 hours."""
    base = datetime.timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS)
    return min(base * 2 ** min(attempts - 1, 20), LONGEST_WAIT)


def note_failure(delivery: WebhookDelivery, outcome: webhooks.Outcome) -> datetime.datetime | None:
    """Schedule the next try; after a day of nothing but failures the endpoint is turned off."""
    now = timezone.now()
    endpoint = delivery.endpoint
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since=None).update(failing_since=now)
    endpoint.refresh_from_db(fields=["failing_since"])
    if now - endpoint.failing_since >= RETRY_FOR:
        disable(endpoint, outcome)
        return None
    if now - delivery.created_at >= RETRY_FOR:
        _finish(delivery, DeliveryState.FAILED)
        return None
    retry_at = now + retry_delay(delivery.attempts.count())
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=retry_at, claimed_until=None
    )
    return retry_at


def disable(endpoint: WebhookEndpoint, outcome: webhooks.Outcome) -> None:
    last = f"HTTP {outcome.status_code}" if outcome.status_code else outcome.error
    reason = _("Turned off on %(time)s: a day of failures (last: %(last)s).") % {
        "time": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "last": last,
    }
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_active=False, disabled_reason=reason[:300]
        )
        endpoint.deliveries.filter(state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED, claimed_until=None
        )
    advice = _(
        "Turn it back on in the admin once the receiver answers again; the failed deliveries "
        "can be sent again there (Redeliver)."
    )
    mail_admins(
        _("Webhook endpoint “%(name)s” turned off") % {"name": endpoint.name},
        f"{reason}\n\n{endpoint.url}\n\n{advice}",
        fail_silently=True,
    )


def redeliver(deliveries) -> list[int]:
    """Send these again, under their own message ids, as soon as a worker is free."""
    ids = [delivery.pk for delivery in deliveries]
    WebhookDelivery.objects.filter(pk__in=ids).update(
        state=DeliveryState.PENDING, next_attempt_at=timezone.now(), claimed_until=None
    )
    return ids
