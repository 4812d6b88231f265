"""Sign-in throttling: which account a failed attempt counts against; the address
it counts against is stances.clients.client_address's."""

from django.http import HttpRequest

# AccessAttempt.username and AccessFailureLog.username are CharField(max_length=255).
USERNAME_STORED_LENGTH = 255


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username tried, cut to the length django-axes stores: any text may be typed, and a
    longer one would fail to save and turn a failed sign-in into a server error."""
    username = (credentials or request.POST).get("username")
    return username[:USERNAME_STORED_LENGTH] if isinstance(username, str) else username
