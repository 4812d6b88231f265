"""The Stances application."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StancesConfig(AppConfig):
    name = "stances"
    verbose_name = "Stances"

    def ready(self):
        from django.conf import locale

        from stances.languages import EXTRA_LANG_INFO

        # Django's table of languages has no Maltese, one of the Union's 24.
        locale.LANG_INFO.update(EXTRA_LANG_INFO)

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from stances.following.receivers import on_change_recorded
        from stances.permissions import ensure_editors_group
        from stances.records import change_recorded
        from stances.serving import security_events
        from stances.serving.sessions import note_sign_in

        post_migrate.connect(ensure_editors_group, sender=self)
        change_recorded.connect(on_change_recorded, dispatch_uid="following")
        user_logged_in.connect(note_sign_in, dispatch_uid="session deadlines")
        user_logged_in.connect(security_events.on_signed_in, dispatch_uid="security events")
        user_login_failed.connect(security_events.on_sign_in_failed, dispatch_uid="security")
        user_locked_out.connect(security_events.on_paused, dispatch_uid="security events")
