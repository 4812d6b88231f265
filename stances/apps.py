"""The Stances application."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StancesConfig(AppConfig):
    name = "stances"
    verbose_name = "Stances"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from stances.following.receivers import on_change_recorded
        from stances.permissions import ensure_editors_group
        from stances.records import change_recorded
        from stances.serving.sessions import note_sign_in

        post_migrate.connect(ensure_editors_group, sender=self)
        change_recorded.connect(on_change_recorded, dispatch_uid="following")
        user_logged_in.connect(note_sign_in, dispatch_uid="session deadlines")
