"""The change in force on a date for each of a question's stances, as written-out SQL.

Built from the models' own table and column names, with the date and the question as
parameters, the same SQL on PostgreSQL and SQLite. The ORM's subquery within a subquery took
longer to compile (2.6 ms) than the query takes to run, and its two queries for the changes and
then their sources (prefetch_related_objects) longer again: on the map page's path, which
every render after an edit takes, the changes come with their stances and sources in one.
"""

import datetime

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


def _in_force_sql() -> str:
    """For each stance of a question (the second parameter), the key of its change in force on
    a date (the first). Written out rather than as the ORM's subquery within a subquery, which
    took longer to compile (2.6 ms) than the query takes to run; the same SQL on PostgreSQL and
    SQLite."""
    stance = Stance._meta
    return (
        f"SELECT {_change_in_force_of('s')} FROM {stance.db_table} s"  # noqa: S608  # nosec B608
        f" WHERE s.{stance.get_field('question').column} = %s"
    )


IN_FORCE = _in_force_sql()


def _columns(model, alias: str) -> str:
    """A model's concrete fields' columns as a SELECT names them (alias.column), in order."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def _in_force_with_sources_sql() -> str:
    """IN_FORCE's changes, each with its stance and its sources (one row per source, newest
    first, as sources_newest_first() orders them; one row with no source for a change without)."""
    change, stance, source = StanceChange._meta, Stance._meta, Source._meta
    link = StanceChange.sources.through._meta
    link_change, link_source = (
        link.get_field("stancechange").column,
        link.get_field("source").column,
    )
    columns = ", ".join(
        _columns(model, alias)
        for model, alias in [(StanceChange, "c"), (Stance, "s"), (Source, "src")]
    )
    # Joined on the subquery, which the database then works out once per stance; as
    # `c.id IN (IN_FORCE)` PostgreSQL worked it out twice.
    # Only the models' table and column names go into the text: nothing a request says.
    return (
        f"SELECT {columns} FROM {stance.db_table} s"  # noqa: S608  # nosec B608
        f" JOIN {change.db_table} c ON c.{change.pk.column} = {_change_in_force_of('s')}"
        f" LEFT JOIN {link.db_table} cs ON cs.{link_change} = c.{change.pk.column}"
        f" LEFT JOIN {source.db_table} src ON src.{source.pk.column} = cs.{link_source}"
        f" WHERE s.{stance.get_field('question').column} = %s"
        f" ORDER BY c.{change.pk.column}, src.{source.get_field('published_on').column} DESC,"
        f" src.{source.pk.column}"
    )


IN_FORCE_WITH_SOURCES = _in_force_with_sources_sql()
# Each row: a change's columns, its stance's, then a source's (NULLs when it has none).
_SELECTED = [(model, list(model._meta.concrete_fields)) for model in (StanceChange, Stance, Source)]
_ATTNAMES = {model: [field.attname for field in fields] for model, fields in _SELECTED}
_CHANGE_END = len(_SELECTED[0][1])
_STANCE_END = _CHANGE_END + len(_SELECTED[1][1])


def in_force_with_sources(question: Question, date: datetime.date) -> list[StanceChange]:
    """The change in force on `date` for each member state with a record, with its stance and
    its `source_list`: one query, written out rather than the ORM's two (the changes, then
    their sources through prefetch_related_objects), whose compiling and machinery took
    longer than the queries took to run."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not isinstance(cursor.cursor, ClientCursor):
            # In PostgreSQL's binary format: 0.60 ms against 0.93 in text for the map page's
            # 27 rows (psycopg reads its 54 times and dates without parsing text). None of
            # these columns is one that Django reads as text in either format (JSON). Only
            # with server-side binding (settings.py), which prepared statements need too.
            cursor.cursor.format = Format.BINARY
        cursor.execute(IN_FORCE_WITH_SOURCES, [date, question.pk])
        rows = cursor.fetchall()
    convert = _converters()
    # Once: `connection` looks this thread's connection up on each use, which added about a
    # fifth to the time making the objects took.
    alias = connection.alias
    make = _from_db if _initialised_with_signals() else _from_row
    changes: dict[int, StanceChange] = {}
    for row in rows:
        values = [convert[i](value) if i in convert else value for i, value in enumerate(row)]
        change = changes.get(values[0])
        if change is None:
            change = make(StanceChange, alias, values[:_CHANGE_END])
            change.stance = make(Stance, alias, values[_CHANGE_END:_STANCE_END])
            change.source_list = []
            changes[change.pk] = change
        if values[_STANCE_END] is not None:
            change.source_list.append(make(Source, alias, values[_STANCE_END:]))
    return list(changes.values())


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


_CONVERTERS: dict[str, dict] = {}


def _converters() -> dict:
    """{column index: convert(value)} for the columns the database gives in another type than
    their field's (SQLite's dates and times as text, say), as the ORM converts them."""
    kept = _CONVERTERS.get(connection.vendor)
    if kept is None:
        fields = [field for _model, model_fields in _SELECTED for field in model_fields]
        kept = {i: convert for i, field in enumerate(fields) if (convert := _converter(field))}
        _CONVERTERS[connection.vendor] = kept
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
