"""Migrations that rebuild a table on SQLite keep the project's triggers.

SQLite changes a table's checks or drops a column by rebuilding it (a copy, the old table
dropped, the copy renamed): the triggers on it go with the old table, and triggers on other
tables that name it stop the rename. A migration that rebuilds a table therefore starts with
`set_aside` and ends with `put_back` (RunPython, each the other's reverse). `put_back` also
writes again any revision trigger an earlier rebuild lost (those on the member states, 0007).
The leading underscore keeps Django from reading this module as a migration.
"""

import importlib

SET_ASIDE = []  # (name, SQL) of each trigger, between the two steps of one migration


def set_aside(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        SET_ASIDE[:] = cursor.fetchall()
    for name, _ in SET_ASIDE:
        schema_editor.execute(f'DROP TRIGGER "{name}"', params=None)


def put_back(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for _, sql in SET_ASIDE:
        schema_editor.execute(sql, params=None)
    kept = {name for name, _ in SET_ASIDE}
    revision = importlib.import_module("stances.migrations.0005_revision_triggers")
    for statement in revision.SQLITE:
        if statement.split()[2] not in kept:  # CREATE TRIGGER <name> ...
            schema_editor.execute(statement, params=None)
    SET_ASIDE.clear()
