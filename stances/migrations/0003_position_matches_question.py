"""Database rule: a stance and each of its changes use a position from the question's own scale.

A composite foreign key would say it, but Django cannot declare one, so triggers do, on
PostgreSQL and on SQLite alike.
"""

from django.db import migrations

MESSAGE = "position does not belong to the question of the stance"

POSTGRESQL = f"""
CREATE FUNCTION stances_check_position_question() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'stances_stance' THEN
        PERFORM 1 FROM stances_position
         WHERE id = NEW.position_id AND question_id = NEW.question_id;
    ELSE
        PERFORM 1 FROM stances_position p JOIN stances_stance s ON s.question_id = p.question_id
         WHERE p.id = NEW.position_id AND s.id = NEW.stance_id;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION stances_keep_position_question() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM stances_stance WHERE position_id = NEW.id)
       OR EXISTS (SELECT 1 FROM stances_stancechange WHERE position_id = NEW.id) THEN
        RAISE EXCEPTION 'a position in use cannot move to another question'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stance_position_question BEFORE INSERT OR UPDATE ON stances_stance
    FOR EACH ROW EXECUTE FUNCTION stances_check_position_question();
CREATE TRIGGER change_position_question BEFORE INSERT OR UPDATE ON stances_stancechange
    FOR EACH ROW EXECUTE FUNCTION stances_check_position_question();
CREATE TRIGGER position_keeps_question BEFORE UPDATE OF question_id ON stances_position
    FOR EACH ROW WHEN (OLD.question_id IS DISTINCT FROM NEW.question_id)
    EXECUTE FUNCTION stances_keep_position_question();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER stance_position_question ON stances_stance;
DROP TRIGGER change_position_question ON stances_stancechange;
DROP TRIGGER position_keeps_question ON stances_position;
DROP FUNCTION stances_check_position_question();
DROP FUNCTION stances_keep_position_question();
"""

STANCE_CHECK = (
    "NOT EXISTS (SELECT 1 FROM stances_position "
    "WHERE id = NEW.position_id AND question_id = NEW.question_id)"
)
CHANGE_CHECK = (
    "NOT EXISTS (SELECT 1 FROM stances_position p JOIN stances_stance s "
    "ON s.question_id = p.question_id WHERE p.id = NEW.position_id AND s.id = NEW.stance_id)"
)
SQLITE = [
    f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {check} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
    for name, event, table, check in [
        ("stance_position_question_insert", "INSERT", "stances_stance", STANCE_CHECK),
        ("stance_position_question_update", "UPDATE", "stances_stance", STANCE_CHECK),
        ("change_position_question_insert", "INSERT", "stances_stancechange", CHANGE_CHECK),
        ("change_position_question_update", "UPDATE", "stances_stancechange", CHANGE_CHECK),
    ]
] + [
    "CREATE TRIGGER position_keeps_question BEFORE UPDATE OF question_id ON stances_position "
    "WHEN OLD.question_id IS NOT NEW.question_id AND ("
    "EXISTS (SELECT 1 FROM stances_stance WHERE position_id = NEW.id) OR "
    "EXISTS (SELECT 1 FROM stances_stancechange WHERE position_id = NEW.id)) "
    "BEGIN SELECT RAISE(ABORT, 'a position in use cannot move to another question'); END;"
]
SQLITE_REVERSE = [
    f"DROP TRIGGER {name};"
    for name in (
        "stance_position_question_insert",
        "stance_position_question_update",
        "change_position_question_insert",
        "change_position_question_update",
        "position_keeps_question",
    )
]


def forwards(apps, schema_editor):
    run(schema_editor, POSTGRESQL if is_postgresql(schema_editor) else SQLITE)


def backwards(apps, schema_editor):
    run(schema_editor, POSTGRESQL_REVERSE if is_postgresql(schema_editor) else SQLITE_REVERSE)


def is_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def run(schema_editor, statements):
    for statement in [statements] if isinstance(statements, str) else statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("stances", "0002_member_states")]
    operations = [migrations.RunPython(forwards, backwards)]
