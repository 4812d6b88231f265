"""The tasks a worker runs (django-tasks, database backend). Each may run twice with no harm:
what was already done is claimed or marked in the database, not in the task."""

import math

from django.core.mail import get_connection
from django_tasks import task

from stances.following import delivery, mails, news
from stances.following.subscribing import DEFAULT_LANGUAGE, Subject

# Webhooks first: a newsroom's system is waiting on them, and each is one quick POST.
WEBHOOK_PRIORITY = 10
ALERTS_PER_SENDER = 1000
MAX_SENDERS = 8


@task()
def fan_out(change_id: int) -> dict:
    """A change was committed: owe it to its followers and endpoints, and queue the sending."""
    move = news.move_of(change_id)
    if move is None:
        return {"alerts": 0, "deliveries": 0}
    alerts = delivery.owe_alerts(move)
    deliveries = delivery.owe_deliveries(move)
    for delivery_id in deliveries:
        deliver_webhook.enqueue(delivery_id)
    # Several senders for a large change, so that as many workers as run share it (the
    # alerts are claimed a batch at a time, never sent twice).
    for _ in range(min(MAX_SENDERS, math.ceil(alerts / ALERTS_PER_SENDER))):
        send_alerts.enqueue(change_id)
    return {"alerts": alerts, "deliveries": len(deliveries)}


@task()
def send_alerts(change_id: int) -> int:
    return delivery.send_alerts(change_id)


@task(priority=WEBHOOK_PRIORITY)
def deliver_webhook(delivery_id: int) -> str | None:
    retry_at = delivery.attempt(delivery_id)
    if retry_at is not None:
        deliver_webhook.using(run_after=retry_at).enqueue(delivery_id)
        return retry_at.isoformat()
    return None


@task()
def send_confirmation(
    email: str, subject_key: str, frequency: str, language: str = DEFAULT_LANGUAGE
) -> bool:
    """The confirmation mail, in the language the reader asked in."""
    subject = Subject.from_key(subject_key)
    if subject is None:  # unpublished between the asking and the sending
        return False
    with get_connection() as connection:
        connection.send_messages([mails.confirmation(email, subject, frequency, language)])
    return True


@task()
def send_digests() -> int:
    return delivery.send_digests()


def redeliver(deliveries) -> int:
    """Queue these deliveries again, under their own message ids (the admin's Redeliver)."""
    ids = delivery.redeliver(deliveries)
    for delivery_id in ids:
        deliver_webhook.enqueue(delivery_id)
    return len(ids)
