"""A question's history at a glance: the days on which something was recorded as taken (the
slider's ticks, the steps to the previous and next change, where a comparison may start) and
when the latest change was recorded ("Last updated").

Read from ChangeDay, a row per question and day that the database keeps as changes are written,
so the cost follows the number of days, not of changes. Kept in the shared cache until the
records move; when they are not there, they come with the question and its scale, in the same
query, so the map page stays within its five queries.
"""

import datetime
import functools
from dataclasses import dataclass

from django.db.models import Aggregate, Max, Subquery, TextField
from django.http import Http404
from django.utils.translation import gettext as _

from stances import revisions, shared_cache
from stances.models import ChangeDay, Question


class Days(Aggregate):
    """A question's change days as one text, "2024-03-14,2024-03-15", in any order; `days_in`
    reads it. Text rather than a list of dates: the value rides on each position of the
    scale, and decoding 1,000 dates for each of them took most of the query's 7 ms."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps dates as ISO text already; GROUP_CONCAT's separator is a comma.
        return self.as_sql(
            compiler, connection, function="GROUP_CONCAT", template="%(function)s(%(expressions)s)"
        )


@functools.lru_cache(maxsize=64)
def days_in(listed: str | None) -> tuple[datetime.date, ...]:
    """Days' answer, oldest first. Kept per process by its text: each render after an edit
    reads the same thousand days again, and decoding them took half a millisecond."""
    return tuple(
        sorted(datetime.date.fromisoformat(day) for day in (listed or "").split(",") if day)
    )


@dataclass(frozen=True)
class History:
    dates: tuple[datetime.date, ...]  # every distinct effective_on, oldest first
    last_recorded: datetime.datetime | None  # when the latest change was recorded


def published_question_with_history_or_404(request, slug) -> tuple[Question, list, History]:
    """A published question, its scale and its History: one query."""
    try:
        return _question_and_history(request, slug)
    except Question.DoesNotExist:
        raise Http404(_("No published question has this slug.")) from None


def _question_and_history(request, slug):
    if len(slug) > Question._meta.get_field("slug").max_length:
        raise Question.DoesNotExist  # and no cache key of any length is asked for
    key = _key(request, slug)
    kept = shared_cache.get(key)
    if kept is not None:
        days, last_recorded = kept
        return (*Question.objects.published_with_scale(slug), History(days_in(days), last_recorded))
    by_question = ChangeDay.objects.filter(question__slug=slug).values("question")
    question, positions = Question.objects.published_with_scale(
        slug,
        days=Subquery(by_question.annotate(days=Days("day")).values("days")),
        last_recorded=Subquery(by_question.annotate(last=Max("last_recorded_at")).values("last")),
    )
    days = positions[0].days if positions else None
    last_recorded = positions[0].last_recorded if positions else None
    # Kept as the text the database gave: a thousand dates pickle ten times slower.
    shared_cache.set(key, (days, last_recorded))
    return question, positions, History(days_in(days), last_recorded)


def _key(request, slug: str) -> str:
    return f"stances:history-days:{slug}:{revisions.of_request(request).number}"
