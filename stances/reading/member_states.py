"""The 27, as every page lists them: from the shared cache while the revision stands."""

from stances import revisions, shared_cache
from stances.models import MemberState


def member_states(request) -> list[MemberState]:
    """In protocol order; they change about once a year, so a page rarely asks the database."""
    key = f"stances:member-states:{revisions.of_request(request).number}"
    states = shared_cache.get(key)
    if states is None:
        states = list(MemberState.objects.all())
        shared_cache.set(key, states)
    return states
