"""`manage.py load_demo`: the demo case into an empty database, and a local editor account."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection

from stances.permissions import EDITORS
from stances.transfer.demo import load_demo

LOCAL_EDITOR = "editor"
SITE = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Load the demo questions when the database has none; on a local SQLite database, "
    help += "also create an editor account and print its password once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            default=SITE,
            help=f"Where the development server answers, for the sign-in hint (default {SITE}).",
        )

    def handle(self, *args, **options):
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Loaded the demo questions."))
        if self.is_local() and not get_user_model().objects.exists():
            self.create_local_editor(options["site"].rstrip("/"))

    def is_local(self):
        return not settings.PRODUCTION and connection.vendor == "sqlite"

    def create_local_editor(self, site):
        password = secrets.token_urlsafe(12)
        user = get_user_model().objects.create_user(LOCAL_EDITOR, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(
            self.style.WARNING(
                "\nA local editor account was created. It is shown only this once:\n"
                f"    username: {LOCAL_EDITOR}\n    password: {password}\n"
                f"Sign in at {site}/admin/ (forgot it? "
                f"`.venv/bin/python manage.py changepassword {LOCAL_EDITOR}`).\n"
                "Editors also give a second factor: the first sign-in shows a QR code (and its\n"
                "key) for an authenticator app, then 10 recovery codes to keep.\n"
            )
        )
