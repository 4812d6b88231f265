"""Seed the 27 member states from stances/data/eu27.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "eu27.csv"


def seed(apps, schema_editor):
    MemberState = apps.get_model("stances", "MemberState")
    with DATA.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            MemberState.objects.update_or_create(
                code=row["iso2"],
                defaults={
                    "eu_code": row["eu_code"],
                    "iso3": row["iso3"],
                    "iso_numeric": row["iso_numeric"],
                    "name": row["name"],
                    "capital": row["capital"],
                    "accession_year": int(row["accession_year"]),
                    "population": int(row["population"]),
                    "population_source": row["population_source"],
                    "population_year": int(row["population_year"]),
                    "protocol_order": int(row["protocol_order"]),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("stances", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
