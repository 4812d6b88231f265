"""On PostgreSQL, the trigger that raises the revision also announces it with NOTIFY, so that
workers keep it in memory (stances/revisions.py) instead of reading the row on every request.
The notification is delivered at commit, in commit order, and not at all on a rollback."""

from django.db import migrations

NOTIFYING = """
CREATE OR REPLACE FUNCTION stances_bump_revision() RETURNS trigger AS $$
DECLARE
    bumped stances_revision%ROWTYPE;
BEGIN
    UPDATE stances_revision SET number = number + 1, changed_at = now() WHERE id = 1
        RETURNING * INTO bumped;
    PERFORM pg_notify(
        'stances_revision', bumped.number || ' ' || extract(epoch FROM bumped.changed_at)
    );
    RETURN NULL;
END; $$ LANGUAGE plpgsql;
"""

SILENT = """
CREATE OR REPLACE FUNCTION stances_bump_revision() RETURNS trigger AS $$ BEGIN
UPDATE stances_revision SET number = number + 1, changed_at = now() WHERE id = 1;
RETURN NULL; END; $$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NOTIFYING, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SILENT, params=None)


class Migration(migrations.Migration):
    dependencies = [("stances", "0005_revision_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
