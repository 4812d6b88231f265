"""The days on which each question's changes were taken, kept by triggers on the changes.

Reading a question's history (the slider's days, "Last updated") aggregated every change of
the question, a few milliseconds at 100,000 changes on every render after a write; this table
has one row per (question, day) and is kept exact by the database whoever writes a change.

A new change upserts its day (GREATEST: two editors saving on the same day at once both land,
whichever commits first). A deleted or moved change re-reads its old day from the changes,
and removes the day once nothing is left on it.
"""

import django.db.models.deletion
from django.db import migrations, models

# The question of a change's stance; `row` is NEW or OLD.
QUESTION_OF = "(SELECT question_id FROM stances_stance WHERE id = {row}.stance_id)"
# What is left of the day a change left.
LEFT_ON_DAY = (
    "FROM stances_stancechange c JOIN stances_stance s ON s.id = c.stance_id "
    "WHERE s.question_id = {question} AND c.effective_on = {day}"
)

POSTGRESQL = [
    """
    CREATE FUNCTION stances_change_day_left(q bigint, d date) RETURNS void AS $$
    DECLARE latest timestamptz;
    BEGIN
      SELECT MAX(c.recorded_at) INTO latest """
    + LEFT_ON_DAY.format(question="q", day="d")
    + """;
      IF latest IS NULL THEN
        DELETE FROM stances_changeday WHERE question_id = q AND day = d;
      ELSE
        UPDATE stances_changeday SET last_recorded_at = latest WHERE question_id = q AND day = d;
      END IF;
    END; $$ LANGUAGE plpgsql;
    """,
    """
    CREATE FUNCTION stances_change_days() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM stances_change_day_left("""
    + QUESTION_OF.format(row="OLD")
    + """, OLD.effective_on);
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO stances_changeday (question_id, day, last_recorded_at)
        VALUES ("""
    + QUESTION_OF.format(row="NEW")
    + """, NEW.effective_on, NEW.recorded_at)
        ON CONFLICT (question_id, day) DO UPDATE SET last_recorded_at =
          GREATEST(stances_changeday.last_recorded_at, EXCLUDED.last_recorded_at);
      END IF;
      RETURN NULL;
    END; $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER change_days AFTER INSERT OR UPDATE OR DELETE ON stances_stancechange "
    "FOR EACH ROW EXECUTE FUNCTION stances_change_days();",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER change_days ON stances_stancechange;",
    "DROP FUNCTION stances_change_days();",
    "DROP FUNCTION stances_change_day_left(bigint, date);",
]


def _sqlite_left(row: str) -> str:
    question, day = QUESTION_OF.format(row=row), f"{row}.effective_on"
    left = LEFT_ON_DAY.format(question=question, day=day)
    where = f"WHERE question_id = {question} AND day = {day}"
    return (
        f"DELETE FROM stances_changeday {where} AND NOT EXISTS (SELECT 1 {left}); "
        f"UPDATE stances_changeday SET last_recorded_at = (SELECT MAX(c.recorded_at) {left}) "
        f"{where};"
    )


SQLITE_ARRIVED = (
    "INSERT INTO stances_changeday (question_id, day, last_recorded_at) "
    f"VALUES ({QUESTION_OF.format(row='NEW')}, NEW.effective_on, NEW.recorded_at) "
    "ON CONFLICT (question_id, day) DO UPDATE SET last_recorded_at = "
    "MAX(last_recorded_at, excluded.last_recorded_at);"
)
SQLITE = [
    "CREATE TRIGGER change_days_insert AFTER INSERT ON stances_stancechange "
    f"BEGIN {SQLITE_ARRIVED} END;",
    "CREATE TRIGGER change_days_delete AFTER DELETE ON stances_stancechange "
    f"BEGIN {_sqlite_left('OLD')} END;",
    "CREATE TRIGGER change_days_update AFTER UPDATE ON stances_stancechange "
    f"BEGIN {_sqlite_left('OLD')} {SQLITE_ARRIVED} END;",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER change_days_{event};" for event in ("insert", "delete", "update")
]

# The days of the changes already recorded.
FILL = (
    "INSERT INTO stances_changeday (question_id, day, last_recorded_at) "
    "SELECT s.question_id, c.effective_on, MAX(c.recorded_at) "
    "FROM stances_stancechange c JOIN stances_stance s ON s.id = c.stance_id "
    "GROUP BY s.question_id, c.effective_on"
)


def forwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in [*(POSTGRESQL if postgresql else SQLITE), FILL]:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_REVERSE if postgresql else SQLITE_REVERSE:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("stances", "0010_second_factor_events")]

    operations = [
        migrations.CreateModel(
            name="ChangeDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("last_recorded_at", models.DateTimeField()),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="change_days",
                        to="stances.question",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("question", "day"), name="change_day_unique")
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
