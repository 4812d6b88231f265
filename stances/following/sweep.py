"""What a worker checks every half minute: work that a dead worker left, and the digest hour.

Every rule here may fire in several workers at once with no harm: the tasks it queues claim
what they send, so a second copy finds nothing left to do.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from stances.following import tasks
from stances.models import Alert, DeliveryState, Frequency, WebhookDelivery

logger = logging.getLogger(__name__)

# A task of ours running this long has lost its worker (each takes seconds, or minutes for a
# fan-out to tens of thousands).
LOST_AFTER = datetime.timedelta(minutes=15)
# Work its task should have picked up by now.
OVERDUE_AFTER = datetime.timedelta(minutes=1)
OUR_TASKS = [
    tasks.fan_out,
    tasks.send_alerts,
    tasks.deliver_webhook,
    tasks.send_confirmation,
    tasks.send_digests,
]
KEEP_FINISHED = datetime.timedelta(days=7)


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "resumed": resume_lost_tasks(now),
        "alerts": resume_alerts(now),
        "deliveries": resume_deliveries(now),
        "digests": queue_digests(now),
        "pruned": prune(now),
    }


def resume_lost_tasks(now: datetime.datetime) -> int:
    """Run again the tasks whose worker died mid-task (killed, out of memory, power cut)."""
    paths = {task.module_path: task for task in OUR_TASKS}
    lost = DBTaskResult.objects.running().filter(
        task_path__in=paths, started_at__lt=now - LOST_AFTER
    )
    resumed = 0
    for row in lost:
        taken = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now
        )
        if taken:  # not taken by another worker's sweep in the meantime
            arguments = row.args_kwargs
            paths[row.task_path].enqueue(*arguments["args"], **arguments["kwargs"])
            resumed += 1
    if resumed:
        logger.warning("Resumed %d task(s) whose worker stopped mid-task.", resumed)
    return resumed


def resume_alerts(now: datetime.datetime) -> int:
    """Instant alerts left unsent (a mail server that was away, a worker that died)."""
    overdue = Alert.objects.filter(
        sent_at=None, frequency=Frequency.INSTANT, created_at__lt=now - OVERDUE_AFTER
    ).filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
    # A change with a batch held right now is being sent: its senders get to the rest.
    being_sent = Alert.objects.filter(sent_at=None, claimed_until__gte=now).values("change_id")
    overdue = overdue.exclude(change_id__in=being_sent)
    changes = list(overdue.values_list("change_id", flat=True).distinct()[:100])
    for change_id in changes:
        tasks.send_alerts.enqueue(change_id)
    return len(changes)


def resume_deliveries(now: datetime.datetime) -> int:
    overdue = WebhookDelivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lt=now - OVERDUE_AFTER
    ).filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
    ids = list(overdue.values_list("pk", flat=True)[:500])
    for delivery_id in ids:
        tasks.deliver_webhook.enqueue(delivery_id)
    return len(ids)


def digest_time(now: datetime.datetime) -> datetime.datetime:
    """Today's digest time, in the site's time zone."""
    local = timezone.localtime(now)
    return local.replace(hour=settings.DIGEST_HOUR, minute=0, second=0, microsecond=0)


def queue_digests(now: datetime.datetime) -> int:
    """Once a day, after DIGEST_HOUR: the digest task, unless one was queued since."""
    due = digest_time(now)
    if now < due:
        return 0
    already = DBTaskResult.objects.filter(
        task_path=tasks.send_digests.module_path, enqueued_at__gte=due
    ).exists()
    if already:
        return 0
    tasks.send_digests.enqueue()
    return 1


def prune(now: datetime.datetime) -> int:
    """Finished tasks after a week, and confirmation requests as soon as they went: those hold
    the address of someone who has not consented to anything yet."""
    finished = DBTaskResult.objects.finished()
    deleted, _ = finished.filter(
        Q(finished_at__lt=now - KEEP_FINISHED) | Q(task_path=tasks.send_confirmation.module_path)
    ).delete()
    return deleted
