"""The Editors group and exactly the permissions it holds."""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"

# Editors keep the records: they add and change stances, their timelines and sources, and may
# look at everything else. They delete nothing (the timeline is append-only) and manage no
# users, questions, scales or member-state reference data; admins do that.
EDITOR_PERMISSIONS = {
    "stances": {
        "stance": ("view", "add", "change"),
        "stancechange": ("view", "add", "change"),
        "source": ("view", "add", "change"),
        "question": ("view",),
        "position": ("view",),
        "memberstate": ("view",),
        "historicalstance": ("view",),
        "historicalstancechange": ("view",),
        "historicalsource": ("view",),
        "historicalquestion": ("view",),
        "historicalposition": ("view",),
        "historicalmemberstate": ("view",),
    },
}


def editor_permissions():
    wanted = [
        (app, f"{action}_{model}")
        for app, models in EDITOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    query = Permission.objects.none()
    for app, codename in wanted:
        query |= Permission.objects.filter(content_type__app_label=app, codename=codename)
    return query


def ensure_editors_group(**kwargs):
    """Run after every migrate, so the group follows the code when models are added."""
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(editor_permissions())


def is_editor(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_is_editor"):  # asked several times a request; one query
        user._is_editor = user.is_superuser or user.groups.filter(name=EDITORS).exists()
    return user._is_editor
