"""Seed the 27 member states from stances/data/eu27.csv."""

from django.db import migrations

from stances.reference import seed_member_states


def seed(apps, schema_editor):
    seed_member_states(apps.get_model("stances", "MemberState"))


class Migration(migrations.Migration):
    dependencies = [("stances", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
