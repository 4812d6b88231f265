"""The stances of open questions that nobody has looked at for a while: due a check."""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from stances.models import Stance


@dataclass(frozen=True)
class Due:
    stance: Stance
    looked_at: datetime.date  # the later of its last check and its latest change's recording


def due_a_check(today: datetime.date, days: int) -> list[Due]:
    """Stances of open, published questions neither checked nor changed in the last `days`
    days, the longest unseen first: one query."""
    stances = (
        Stance.objects.filter(question__is_open=True, question__is_published=True)
        .select_related("question", "member_state", "position")
        .annotate(last_recorded=Max("changes__recorded_at"))
    )
    due = []
    for stance in stances:
        looked_at = max(
            stance.checked_on or datetime.date.min,
            timezone.localdate(stance.last_recorded) if stance.last_recorded else datetime.date.min,
        )
        if (today - looked_at).days >= days:
            due.append(Due(stance, looked_at))
    due.sort(
        key=lambda d: (d.looked_at, d.stance.question.title, d.stance.member_state.protocol_order)
    )
    return due
