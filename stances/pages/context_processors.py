"""Values every template needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from stances.models import EARLIEST_DATE
from stances.permissions import is_editor


def site(request):
    return {
        # Lazy, and asked at most once a request: pages that never ask cost no query.
        "user_is_editor": SimpleLazyObject(lambda: is_editor(request.user)),
        # The first day a date control offers.
        "earliest_date": EARLIEST_DATE,
        "corrections_email": settings.CORRECTIONS_EMAIL,
        "data_licence": {"name": settings.DATA_LICENCE, "url": settings.DATA_LICENCE_URL},
    }
