"""Triggers that raise the revision on every write to the records, and its single row."""

from django.db import migrations

TABLES = [
    "stances_memberstate",
    "stances_question",
    "stances_position",
    "stances_source",
    "stances_stance",
    "stances_stancechange",
    "stances_stancechange_sources",
]

BUMP = "UPDATE stances_revision SET number = number + 1, changed_at = {now} WHERE id = 1"

POSTGRESQL = [
    "CREATE FUNCTION stances_bump_revision() RETURNS trigger AS $$ BEGIN "
    + BUMP.format(now="now()")
    + "; RETURN NULL; END; $$ LANGUAGE plpgsql;",
    # Once per statement, not per row: a bulk update costs one bump.
    *(
        f"CREATE TRIGGER bump_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION stances_bump_revision();"
        for table in TABLES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER bump_revision ON {table};" for table in TABLES),
    "DROP FUNCTION stances_bump_revision();",
]

EVENTS = ("INSERT", "UPDATE", "DELETE")
SQLITE = [
    f"CREATE TRIGGER {table}_bump_{event.lower()} AFTER {event} ON {table} "
    f"BEGIN {BUMP.format(now='CURRENT_TIMESTAMP')}; END;"
    for table in TABLES
    for event in EVENTS
]
SQLITE_REVERSE = [
    f"DROP TRIGGER {table}_bump_{event.lower()};" for table in TABLES for event in EVENTS
]


def forwards(apps, schema_editor):
    apps.get_model("stances", "Revision").objects.get_or_create(pk=1)
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_REVERSE if postgresql else SQLITE_REVERSE:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("stances", "0004_revision")]
    operations = [migrations.RunPython(forwards, backwards)]
