"""The change in force on a date for each of a question's stances, as written-out SQL.

Built from the models' own table and column names, with the date and the question as
parameters, the same SQL on PostgreSQL and SQLite. The ORM's subquery within a subquery took
longer to compile (2.6 ms) than the query takes to run, and its two queries for the changes and
then their sources (prefetch_related_objects) longer again: on the map page's path, which
every render after an edit takes, the changes come with their stances and sources in one.
"""

import datetime
from functools import lru_cache

from django.db import connection
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from psycopg import ClientCursor
from psycopg.pq import Format

from stances.models import Question, Source, Stance, StanceChange


def _change_in_force_of(stance_alias: str) -> str:
    """A scalar subquery: the key of the change in force on a date (its one parameter) for the
    stance `stance_alias` names, the latest in timeline order on or before it."""
    change, stance = StanceChange._meta, Stance._meta
    newest_first = ", ".join(
        f"cf.{change.get_field(name).column} DESC" for name in StanceChange.TIMELINE_ORDER
    )
    # Only the models' table and column names go into the text: nothing a request says.
    return (
        f"(SELECT cf.{change.pk.column} FROM {change.db_table} cf"  # noqa: S608  # nosec B608
        f" WHERE cf.{change.get_field('stance').column} = {stance_alias}.{stance.pk.column}"
        f" AND cf.{change.get_field('effective_on').column} <= %s"
        f" ORDER BY {newest_first} LIMIT 1)"
    )


def _in_force_sql(alias: str) -> str:
    """For each stance of a question (the second parameter), the key (`id`) of its change in
    force on a date (the first)."""
    stance = Stance._meta
    return (
        f"SELECT {_change_in_force_of(alias)} AS id"  # noqa: S608  # nosec B608
        f" FROM {stance.db_table} {alias} WHERE {alias}.{stance.get_field('question').column} = %s"
    )


def _columns(model, alias: str) -> str:
    """A model's concrete fields' columns as a SELECT names them (alias.column), in order."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def _sources_of_each_change() -> tuple[str, str]:
    """The joins that give each change `c` its sources `src`, one row each (one row with no
    source for a change without), and the order of the rows: a change's together, its sources
    newest first, as sources_newest_first() orders them (_changes reads them so)."""
    change, source = StanceChange._meta, Source._meta
    link = StanceChange.sources.through._meta
    return (
        f" LEFT JOIN {link.db_table} cs"
        f" ON cs.{link.get_field('stancechange').column} = c.{change.pk.column}"
        f" LEFT JOIN {source.db_table} src"
        f" ON src.{source.pk.column} = cs.{link.get_field('source').column}",
        f" ORDER BY c.{change.pk.column}, src.{source.get_field('published_on').column} DESC,"
        f" src.{source.pk.column}",
    )


def _in_force_with_sources_sql() -> str:
    """The changes in force, each with its stance and its sources."""
    change, stance = StanceChange._meta, Stance._meta
    columns = ", ".join(
        _columns(model, alias)
        for model, alias in [(StanceChange, "c"), (Stance, "s"), (Source, "src")]
    )
    sources, order = _sources_of_each_change()
    # Joined on the subquery, which the database then works out once per stance; as
    # `c.id IN (SELECT ...)` PostgreSQL worked it out twice.
    # Only the models' table and column names go into the text: nothing a request says.
    return (
        f"SELECT {columns} FROM {stance.db_table} s"  # noqa: S608  # nosec B608
        f" JOIN {change.db_table} c ON c.{change.pk.column} = {_change_in_force_of('s')}"
        f"{sources} WHERE s.{stance.get_field('question').column} = %s{order}"
    )


IN_FORCE_WITH_SOURCES = _in_force_with_sources_sql()


@lru_cache(maxsize=128)  # by count: 25 for a long timeline, more for a whole one
def _in_force_and_listed_sql(listed: int) -> str:
    """The changes in force and `listed` more (their keys the last parameters), each with what a
    panel shows of it besides (its stance's confirming source, who recorded it, by name only)
    and its sources, in IN_FORCE_WITH_SOURCES's order. A UNION of the two sets of keys: as an
    OR, PostgreSQL read every change of every question (59 ms at 100,000 changes)."""
    change, stance, source = StanceChange._meta, Stance._meta, Source._meta
    user = change.get_field("recorded_by").related_model._meta
    pk = change.pk.column
    picked = _in_force_sql("s0")
    if listed:
        keys = ", ".join(["%s"] * listed)
        picked += f" UNION SELECT cl.{pk} FROM {change.db_table} cl"  # noqa: S608  # nosec B608
        picked += f" WHERE cl.{pk} IN ({keys})"
    columns = ", ".join(
        _columns(model, alias)
        for model, alias in [(StanceChange, "c"), (Stance, "s"), (Source, "chk"), (Source, "src")]
    )
    sources, order = _sources_of_each_change()
    # Only the models' table and column names go into the text: nothing a request says.
    return (
        f"SELECT {columns}, u.{user.get_field('username').column}"  # noqa: S608  # nosec B608
        f" FROM ({picked}) picked JOIN {change.db_table} c ON c.{pk} = picked.id"
        f" JOIN {stance.db_table} s ON s.{stance.pk.column} = c.{change.get_field('stance').column}"
        f" LEFT JOIN {user.db_table} u"
        f" ON u.{user.pk.column} = c.{change.get_field('recorded_by').column}"
        f" LEFT JOIN {source.db_table} chk"
        f" ON chk.{source.pk.column} = s.{stance.get_field('checked_source').column}"
        f"{sources}{order}"
    )


# The rows' layouts: the models whose columns each row holds, in order (the panel's query
# gives the recorded_by's username after them).
_IN_FORCE = (StanceChange, Stance, Source)
_PANEL = (StanceChange, Stance, Source, Source)
_ATTNAMES = {model: [field.attname for field in model._meta.concrete_fields] for model in _IN_FORCE}


def _spans(layout: tuple) -> list[tuple[int, int]]:
    """Where each model's columns start and end in a row of `layout`."""
    spans, start = [], 0
    for model in layout:
        end = start + len(_ATTNAMES[model])
        spans.append((start, end))
        start = end
    return spans


_SPANS = {_IN_FORCE: _spans(_IN_FORCE), _PANEL: _spans(_PANEL)}


def in_force_with_sources(question: Question, date: datetime.date) -> list[StanceChange]:
    """The change in force on `date` for each member state with a record, with its stance and
    its `source_list`: one query, written out rather than the ORM's two (the changes, then
    their sources through prefetch_related_objects), whose compiling and machinery took
    longer than the queries took to run."""
    rows = _fetch(IN_FORCE_WITH_SOURCES, [date, question.pk])
    return list(_changes(rows, _IN_FORCE).values())


def in_force_and_listed(question: Question, date: datetime.date, listed) -> list[StanceChange]:
    """in_force_with_sources()'s changes and the changes `listed` (keys of a panel's entries),
    each also with what the panel shows of it: its stance's `checked_source` and the
    `recorded_by_name` of who recorded it. One query, where the ORM's UNION and then the
    sources took three times as long at 100,000 changes, a fifth of an editor's save, most of
    it compiling the UNION."""
    listed = sorted(listed)  # the same text, and so the same prepared statement, for a count
    rows = _fetch(_in_force_and_listed_sql(len(listed)), [date, question.pk, *listed])
    return list(_changes(rows, _PANEL).values())


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not isinstance(cursor.cursor, ClientCursor):
            # In PostgreSQL's binary format: 0.60 ms against 0.93 in text for the map page's
            # 27 rows (psycopg reads its 54 times and dates without parsing text). None of
            # these columns is one that Django reads as text in either format (JSON). Only
            # with server-side binding (settings.py), which prepared statements need too.
            cursor.cursor.format = Format.BINARY
        cursor.execute(sql, params)
        return cursor.fetchall()


def _changes(rows: list[tuple], layout: tuple) -> dict[int, StanceChange]:
    """The changes in `rows` (several rows for a change with several sources), by key."""
    convert = _converters(layout)
    # Once: `connection` looks this thread's connection up on each use, which added about a
    # fifth to the time making the objects took.
    alias = connection.alias
    make = _from_db if _initialised_with_signals() else _from_row
    (change_at, stance_at, *checked_at, source_at) = _SPANS[layout]
    changes: dict[int, StanceChange] = {}
    for row in rows:
        values = [convert[i](value) if i in convert else value for i, value in enumerate(row)]
        change = changes.get(values[0])
        if change is None:
            change = make(StanceChange, alias, values[slice(*change_at)])
            change.stance = make(Stance, alias, values[slice(*stance_at)])
            if checked_at:
                checked = values[slice(*checked_at[0])]
                checked_source = make(Source, alias, checked) if checked[0] is not None else None
                change.stance.checked_source = checked_source
                change.recorded_by_name = values[-1]
            change.source_list = []
            changes[change.pk] = change
        if values[source_at[0]] is not None:
            change.source_list.append(make(Source, alias, values[slice(*source_at)]))
    return changes


def _from_row(model, alias: str, values: list):
    """The object Model.from_db() makes of a whole row, without Model.__init__(): for the map
    page's 81 objects, 0.07 ms rather than 0.42. Only while no receiver of pre_init or
    post_init listens for these models (_initialised_with_signals), as __init__ would call it."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(_ATTNAMES[model], values, strict=True))
    instance._state = state = ModelState()
    state.adding, state.db = False, alias
    return instance


def _from_db(model, alias: str, values: list):
    return model.from_db(alias, _ATTNAMES[model], values)


def _initialised_with_signals() -> bool:
    return any(
        signal.has_listeners(model)
        for signal in (pre_init, post_init)
        for model in (StanceChange, Stance, Source)
    )


_CONVERTERS: dict[tuple, dict] = {}


def _converters(layout: tuple) -> dict:
    """{column index: convert(value)} for the columns of a row of `layout` that the database
    gives in another type than their field's (SQLite's dates and times as text, say), as the
    ORM converts them."""
    key = (connection.vendor, layout)
    kept = _CONVERTERS.get(key)
    if kept is None:
        fields = [field for model in layout for field in model._meta.concrete_fields]
        kept = {i: convert for i, field in enumerate(fields) if (convert := _converter(field))}
        _CONVERTERS[key] = kept
    return kept


def converted(field, value):
    """`value`, as a written-out query gave it for `field`, as the ORM would give it."""
    convert = _converter(field)
    return convert(value) if convert else value


def _converter(field):
    expression = field.get_col(field.model._meta.db_table)
    functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(
        connection
    )
    return _applying(functions, expression, connection) if functions else None


def _applying(functions, expression, db):
    def convert(value):
        for function in functions:
            value = function(value, expression, db)
        return value

    return convert
