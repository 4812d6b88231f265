"""The 27, as every page lists them: kept in each process until one of them is edited."""

from stances.models import MemberState
from stances.reading import kept


def member_states(request) -> list[MemberState]:
    """In protocol order; they change about once a year, so a page rarely asks the database.
    A new list each time: the caller may sort or cut it."""
    return list(kept.member_states.get(request, "all", lambda: list(MemberState.objects.all())))
