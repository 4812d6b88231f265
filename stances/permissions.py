"""The Editors group, exactly the permissions it holds, and the check on editors' pages."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

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
        # The delivery health of the newsrooms' webhooks; not the readers' addresses, and not
        # the endpoints' secrets (the admin hides them from whoever cannot change endpoints).
        "webhookendpoint": ("view",),
        "webhookdelivery": ("view",),
        "webhookattempt": ("view",),
        # Readers' reports of errors: editors work through them (a status and a note).
        "errorreport": ("view", "change"),
        "historicalerrorreport": ("view",),
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
    group, _created = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(editor_permissions())


def editor_role() -> Q:
    """Who holds the editor role, as a condition on users: a superuser, or in the Editors
    group (whether or not through the second step yet)."""
    return Q(is_superuser=True) | Q(Exists(Group.objects.filter(name=EDITORS, user=OuterRef("pk"))))


def holds_editor_role(user) -> bool:
    """Whether `user` holds the editor role (editor_role()): EditorRoleBackend read it with the
    user, else one query, once a request."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_is_editor"):  # asked several times a request
        users = get_user_model()._default_manager
        user._is_editor = user.is_superuser or users.filter(editor_role(), pk=user.pk).exists()
    return user._is_editor


class EditorRoleBackend(ModelBackend):
    """Django's, whose signed-in user comes with whether they hold the editor role, read in
    the same query: every signed-in request asks (is_editor), and an editor's save or map
    page spares a round trip. Asked on each request, as before: a role taken away counts at
    once."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            in_editor_role=ExpressionWrapper(editor_role(), output_field=BooleanField())
        )
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user._is_editor = user.in_editor_role
        return user


def is_editor(user) -> bool:
    """An editor who passed the second factor (django-otp's middleware adds is_verified)."""
    verified = getattr(user, "is_verified", None)
    return holds_editor_role(user) and (verified is None or verified())


def editor_required(view):
    """Anonymous users go to sign in; signed-in users who are not editors get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.htmx:
                next_url = request.htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(f"{reverse('login')}?next={next_url}")
            return redirect_to_login(request.get_full_path())
        if not is_editor(request.user):
            raise PermissionDenied(_("Only editors can change stances."))
        return view(request, *args, **kwargs)

    return wrapper


# Set on a request whose page shows what this person alone may see.
ONE_PERSON = "_stances_for_one_person"


def for_this_person_only(request) -> None:
    """Said by a view whose render read something meant for this person alone (an editor's
    panel lists the readers' reports still open): such a page is rendered for each request,
    never shared with other signed-in people (stances/serving/signed_in_pages.py)."""
    setattr(request, ONE_PERSON, True)
