"""The revision row also records the latest write to what frames the records: member states,
questions, their scales and the translations of both. Their triggers raise both numbers; the
others (sources, stances, changes) only the revision's, as before. The notification carries
both, "<number> <moment> <reference number> <its moment>" (moments as Unix time), so that each
process keeps those in memory across a stance's edits (stances/reading/kept.py).

On SQLite, adding the columns rebuilds the revision's table, which every trigger names: they
are set aside and put back around it (_sqlite_triggers)."""

import django.utils.timezone
from django.db import migrations, models

from stances.migrations._sqlite_triggers import put_back, set_aside

REFERENCE_TABLES = [
    "stances_memberstate",
    "stances_question",
    "stances_position",
    "stances_questiontranslation",
    "stances_positiontranslation",
]
EVENTS = ("INSERT", "UPDATE", "DELETE")

PAYLOAD = (
    "bumped.number || ' ' || extract(epoch FROM bumped.changed_at) || ' ' || "
    "bumped.reference_number || ' ' || extract(epoch FROM bumped.reference_changed_at)"
)
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
DECLARE
    bumped stances_revision%ROWTYPE;
BEGIN
    UPDATE stances_revision SET {assignments} WHERE id = 1 RETURNING * INTO bumped;
    PERFORM pg_notify('stances_revision', {payload});
    RETURN NULL;
END; $$ LANGUAGE plpgsql;
"""
REVISION = "number = number + 1, changed_at = now()"
# In SET, "number" is the value before the update: number + 1 is the new revision's.
REFERENCE = f"{REVISION}, reference_number = number + 1, reference_changed_at = now()"

# Milliseconds, not CURRENT_TIMESTAMP's seconds: two reference writes in one second, one of
# them rolled back, must not look alike.
SQLITE_REFERENCE = (
    "UPDATE stances_revision SET number = number + 1,"
    " changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now'), reference_number = number + 1,"
    " reference_changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1"
)
SQLITE_REVISION = (
    "UPDATE stances_revision SET number = number + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1"
)


def reference_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _postgresql(schema_editor, REFERENCE, notify=PAYLOAD)
    else:
        _sqlite(schema_editor, SQLITE_REFERENCE)


def revision_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        old_payload = "bumped.number || ' ' || extract(epoch FROM bumped.changed_at)"
        _postgresql(schema_editor, None, notify=old_payload)
    else:
        _sqlite(schema_editor, SQLITE_REVISION)


def _postgresql(schema_editor, reference, notify):
    statements = [
        POSTGRESQL_FUNCTION.format(
            name="stances_bump_revision", assignments=REVISION, payload=notify
        )
    ]
    if reference is not None:
        function = "stances_bump_reference"
        statements.append(
            POSTGRESQL_FUNCTION.format(name=function, assignments=reference, payload=notify)
        )
    else:
        function = "stances_bump_revision"
    for table in REFERENCE_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS bump_revision ON {table};",
            f"CREATE TRIGGER bump_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
        ]
    if reference is None:
        statements.append("DROP FUNCTION IF EXISTS stances_bump_reference();")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def _sqlite(schema_editor, bump):
    for table in REFERENCE_TABLES:
        for event in EVENTS:
            name = f"{table}_bump_{event.lower()}"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};", params=None)
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {bump}; END;", params=None
            )


class Migration(migrations.Migration):
    dependencies = [("stances", "0016_content_in_other_languages")]

    operations = [
        migrations.RunPython(set_aside, put_back),
        migrations.AddField(
            model_name="revision",
            name="reference_number",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="revision",
            name="reference_changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(put_back, set_aside),
        migrations.RunPython(reference_triggers, revision_triggers),
    ]
