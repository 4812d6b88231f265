"""Builds stances/data/europe.json from world-atlas's countries-50m.json."""

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stances.maps import geo

APP_DIR = Path(__file__).resolve().parents[2]
PROJECT_DIR = APP_DIR.parent


class Command(BaseCommand):
    help = "Builds the Europe map file from Natural Earth 1:50m TopoJSON (npm package world-atlas)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=PROJECT_DIR / "node_modules" / "world-atlas" / "countries-50m.json",
            help="countries-50m.json from world-atlas 2.x",
        )
        parser.add_argument("--output", type=Path, default=APP_DIR / "data" / "europe.json")

    def handle(self, *args, source, output, **options):
        if not source.is_file():
            raise CommandError(
                f"{source} not found: run `npm pack world-atlas@2` and untar it, then pass "
                "--source PATH/countries-50m.json"
            )
        topology = json.loads(source.read_text(encoding="utf-8"))
        members = geo.read_members(APP_DIR / "data" / "eu27.csv")
        document = geo.build_map(topology, members)
        raw = (json.dumps(document, indent=1) + "\n").encode()
        output.write_bytes(raw)
        countries = len(document["members"])
        self.stdout.write(
            f"Wrote {output}: {countries} member states plus context, {document['width']}x"
            f"{document['height']}, {len(raw)} bytes raw, {len(gzip.compress(raw))} gzipped"
        )
