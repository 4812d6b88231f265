"""The Stances application."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StancesConfig(AppConfig):
    name = "stances"
    verbose_name = "Stances"

    def ready(self):
        from stances.following.receivers import on_change_recorded
        from stances.permissions import ensure_editors_group
        from stances.records import change_recorded

        post_migrate.connect(ensure_editors_group, sender=self)
        change_recorded.connect(on_change_recorded, dispatch_uid="following")
