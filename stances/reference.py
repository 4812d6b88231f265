"""The 27 member states as reference data, read from stances/data/eu27.csv."""

import csv
from pathlib import Path

MEMBER_STATES_FILE = Path(__file__).resolve().parent / "data" / "eu27.csv"


def seed_member_states(member_state_model) -> None:
    """Create or update the 27; takes the model so that migrations can pass their own."""
    with MEMBER_STATES_FILE.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            member_state_model.objects.update_or_create(
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
