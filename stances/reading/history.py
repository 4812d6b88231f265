"""A question's history at a glance: the days on which something was recorded as taken (the
slider's ticks, the steps to the previous and next change, where a comparison may start) and
when the latest change was recorded ("Last updated").

Read from ChangeDay, a row per question and day that the database keeps as changes are written,
so the cost follows the number of days, not of changes. Kept in each process's memory until the
records move, not in the shared cache: a miss there cost two round trips (asking, then
storing), more than the query itself (about 0.3 ms each against 0.6), so each process reads it
once per revision instead. The question and its scale are kept longer, in each process, until
the reference revision moves (stances/reading/questions.py): when neither is kept, the history
comes with them in the same query, so the map page stays within its four queries; after a
stance's edit, it comes alone.
"""

import datetime
import functools
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.db.models import DateTimeField, TextField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from stances import revisions, shared_cache
from stances.models import ChangeDay, Question
from stances.reading import questions
from stances.reading.in_force import converted


def _of_question_sql(aggregate: str) -> str:
    """`aggregate` over the change days of the question whose slug is the one parameter.

    Written out rather than as the ORM's grouped subquery, which took longer to compile (1 ms)
    than the query takes to run; not correlated with the outer query, so the database works it
    out once, not once per position. Only the models' own names go into the text.
    """
    day, question = ChangeDay._meta, Question._meta
    return (
        f"(SELECT {aggregate} FROM {day.db_table} d"  # noqa: S608  # nosec B608
        f" WHERE d.{day.get_field('question').column} = (SELECT q.{question.pk.column}"
        f" FROM {question.db_table} q WHERE q.{question.get_field('slug').column} = %s))"
    )


# A question's change days as one text, "2024-03-14,2024-03-15", in any order; days_in reads
# it. Text rather than a list of dates: the value rides on each position of the scale, and
# decoding 1,000 dates for each of them took most of the query's 7 ms. SQLite keeps dates as
# ISO text already, and its GROUP_CONCAT's separator is a comma.
_DAY = ChangeDay._meta.get_field("day").column
_DAY_LIST = {
    "postgresql": f"STRING_AGG(CAST(d.{_DAY} AS text), ',')",
    "sqlite": f"GROUP_CONCAT(d.{_DAY})",
}
_LAST_RECORDED = ChangeDay._meta.get_field("last_recorded_at")
_LATEST = f"MAX(d.{_LAST_RECORDED.column})"
DAYS = {vendor: _of_question_sql(days) for vendor, days in _DAY_LIST.items()}
LAST_RECORDED = _of_question_sql(_LATEST)


@functools.lru_cache(maxsize=64)
def days_in(listed: str | None) -> tuple[datetime.date, ...]:
    """The days DAYS gives as text, as dates, oldest first. Kept per process by its text: each
    render after an edit reads the same thousand days again, and decoding them took half a
    millisecond."""
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
    local = caches["local"]
    history = local.get(key)
    read = {}

    def with_history():
        # The slug goes as a parameter; DAYS and LAST_RECORDED hold only the models' own names.
        question, positions = Question.objects.published_with_scale(
            slug,
            days=RawSQL(DAYS[connection.vendor], [slug], output_field=TextField()),  # noqa: S611  # nosec B611
            last_recorded=RawSQL(LAST_RECORDED, [slug], output_field=DateTimeField()),  # noqa: S611  # nosec B611
        )
        if positions:
            read["history"] = (positions[0].days, positions[0].last_recorded)
        for position in positions:  # kept for later revisions, which have their own history
            del position.days, position.last_recorded
        return question, positions

    # When neither is kept, the history comes with the question, in one query.
    question, positions = questions.published_with_scale(
        request, slug, load=with_history if history is None else None
    )
    if history is None:
        history = read.get("history") or _history_of(question)
        # Kept as the text the database gave: a thousand dates pickle ten times slower.
        local.set(key, history, shared_cache.SECONDS)
    days, last_recorded = history
    return question, positions, History(days_in(days), last_recorded)


def _history_of(question: Question) -> tuple[str | None, datetime.datetime | None]:
    """The days as DAYS gives them, and the last recording time, of a question already found:
    one query, one pass over its change days."""
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_OF[connection.vendor], [question.pk])
        days, last_recorded = cursor.fetchone()
    return days, converted(_LAST_RECORDED, last_recorded)


def _history_of_sql(days: str) -> str:
    day = ChangeDay._meta
    # Only the models' own names go into the text; the question's key is the parameter.
    return (
        f"SELECT {days}, {_LATEST} FROM {day.db_table} d"  # noqa: S608  # nosec B608
        f" WHERE d.{day.get_field('question').column} = %s"
    )


HISTORY_OF = {vendor: _history_of_sql(days) for vendor, days in _DAY_LIST.items()}


def _key(request, slug: str) -> str:
    return f"stances:history-days:{slug}:{revisions.of_request(request).number}"
