"""Cache headers and ETags for what readers download: exports, the API and the feeds."""

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

MAX_AGE = 60


def public_data(view):
    """Let browsers and CDNs keep a successful response for a minute, and revalidate it by ETag.

    The ETag is a hash of the body, so it changes exactly when the data shown does; a client
    sending it back in If-None-Match gets an empty 304. The content does not depend on who
    asks, so it is public even for signed-in editors.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper
