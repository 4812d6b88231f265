"""`manage.py restore_stances in.json`: a backup into a database without stance data."""

import json

from django.core.management.base import BaseCommand, CommandError

from stances.transfer.backup import BadBackup, restore


class Command(BaseCommand):
    help = "Load a file written by backup_stances into a database that has no questions or "
    help += "sources yet, in one transaction: all of it or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by backup_stances.")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as backup:
                document = json.load(backup)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} is not a JSON file: {error}.") from None
        try:
            warnings = restore(document)
        except BadBackup as error:
            raise CommandError(str(error)) from None
        for warning in warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(f"Restored the stance data from {path}."))
