"""Values every template needs."""

from django.utils.functional import SimpleLazyObject

from stances.permissions import is_editor


def site(request):
    # Lazy, and asked at most once a request: pages that never ask cost no query.
    return {"user_is_editor": SimpleLazyObject(lambda: is_editor(request.user))}
