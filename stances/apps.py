"""The Stances application."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StancesConfig(AppConfig):
    name = "stances"
    verbose_name = "Stances"

    def ready(self):
        from stances.permissions import ensure_editors_group

        post_migrate.connect(ensure_editors_group, sender=self)
