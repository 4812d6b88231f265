"""`manage.py backup_stances out.json`: all the stance data in one JSON file (no users)."""

import json
import sys

from django.core.management.base import BaseCommand

from stances.transfer.backup import dump


class Command(BaseCommand):
    help = "Write questions, scales, stances with their timelines and sources to a JSON file "
    help += "('-' for standard output). Users are not included: changes name their recorder."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, or - for standard output.")

    def handle(self, *args, path, **options):
        text = json.dumps(dump(), ensure_ascii=False, indent=2) + "\n"
        if path == "-":
            sys.stdout.write(text)
            return
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        self.stderr.write(self.style.SUCCESS(f"Wrote the backup to {path}."))
