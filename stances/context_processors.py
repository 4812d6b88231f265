"""Values every template needs."""

from stances.permissions import is_editor


def site(request):
    # Lazy: pages that never ask cost no query.
    return {"user_is_editor": lambda: is_editor(request.user)}
