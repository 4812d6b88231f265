"""The 27 member states as reference data, read from stances/data/eu27.csv."""

import csv
import datetime
from pathlib import Path

MEMBER_STATES_FILE = Path(__file__).resolve().parent / "data" / "eu27.csv"


def seed_member_states(member_state_model) -> None:
    """Create or update the 27; takes the model so that migrations can pass their own.

    A migration's model has the fields of its day, so only those are written (migration 0002
    knew the accession year, later ones the accession date).
    """
    fields = {field.name for field in member_state_model._meta.get_fields()}
    with MEMBER_STATES_FILE.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            accession = datetime.date.fromisoformat(row["accession_date"])
            defaults = {
                "eu_code": row["eu_code"],
                "iso3": row["iso3"],
                "iso_numeric": row["iso_numeric"],
                "name": row["name"],
                "capital": row["capital"],
                "accession_date": accession,
                "accession_year": accession.year,
                "population": int(row["population"]),
                "population_source": row["population_source"],
                "population_year": int(row["population_year"]),
                "protocol_order": int(row["protocol_order"]),
            }
            member_state_model.objects.update_or_create(
                code=row["iso2"],
                defaults={name: value for name, value in defaults.items() if name in fields},
            )
