"""Which pages other sites may show in an <iframe>: only views marked @allow_framing.

Every other page forbids framing twice over, with `frame-ancestors 'none'` in the
Content-Security-Policy and `X-Frame-Options: DENY` for older browsers.
"""

from csp.decorators import csp_replace
from django.views.decorators.clickjacking import xframe_options_exempt

# Any site may embed the page; the framed page itself stays under the rest of the policy.
ANY_SITE = {"frame-ancestors": ["*"]}


def allow_framing(view):
    """Let any site embed this view's page in an <iframe>."""
    return xframe_options_exempt(csp_replace(ANY_SITE)(view))
