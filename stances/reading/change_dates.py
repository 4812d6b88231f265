"""The days on which something was recorded as taken on a question: the slider's ticks, the
steps to the previous and next change, and where a comparison may start.

Kept in the shared cache until the records move. When they are not there, they come with the
question and its scale, in the same query, so the map page stays within its five queries.
"""

import datetime

from django.db.models import Aggregate, Subquery, TextField
from django.http import Http404

from stances import revisions, shared_cache
from stances.models import Position, Question, StanceChange


class DistinctDays(Aggregate):
    """The distinct days of a date column as one text, "2024-03-14,2024-03-15" (any order)."""

    function = "STRING_AGG"
    template = "%(function)s(DISTINCT TO_CHAR(%(expressions)s, 'YYYY-MM-DD'), ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps dates as ISO text already; GROUP_CONCAT's separator is a comma.
        template = "%(function)s(DISTINCT %(expressions)s)"
        return self.as_sql(
            compiler, connection, function="GROUP_CONCAT", template=template, **extra
        )


def published_question_with_dates_or_404(request, slug) -> tuple[Question, list[Position], list]:
    """A published question, its scale and its change dates (oldest first): one query."""
    try:
        return _question_and_change_dates(request, slug)
    except Question.DoesNotExist:
        raise Http404("No published question has this slug.") from None


def _question_and_change_dates(request, slug):
    if len(slug) > Question._meta.get_field("slug").max_length:
        raise Question.DoesNotExist  # and no cache key of any length is asked for
    key = _key(request, slug)
    dates = shared_cache.get(key)
    if dates is not None:
        return (*Question.objects.published_with_scale(slug), dates)
    days = (
        StanceChange.objects.filter(stance__question__slug=slug)
        .order_by()
        .values("stance__question")
        .annotate(days=DistinctDays("effective_on"))
        .values("days")
    )
    question, positions = Question.objects.published_with_scale(slug, days=Subquery(days))
    listed = positions[0].days if positions else None
    dates = sorted(datetime.date.fromisoformat(day) for day in (listed or "").split(",") if day)
    shared_cache.set(key, dates)
    return question, positions, dates


def _key(request, slug: str) -> str:
    return f"stances:change-dates:{slug}:{revisions.of_request(request).number}"
