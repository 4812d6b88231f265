"""The signed links in the mails: to confirm, to leave one subscription, to manage them all.

Each is a signed, timestamped object: the server keeps no token, and a link that was changed
or has expired is refused. Each kind has its own salt, so one can never stand for another.
"""

import datetime

from django.core import signing

CONFIRM_FOR = datetime.timedelta(days=3)
MANAGE_FOR = datetime.timedelta(days=90)
# Unsubscribing never expires: a months-old mail must still let its reader leave (RFC 8058).
LEAVE_FOR = None


class BadLink(Exception):
    """The link was altered, cut short, or is too old."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "not valid")
        self.expired = expired


def make(kind: str, value: dict) -> str:
    return signing.TimestampSigner(salt=f"stances.following.{kind}").sign_object(value)


def read(kind: str, token: str, max_age: datetime.timedelta | None) -> dict:
    signer = signing.TimestampSigner(salt=f"stances.following.{kind}")
    try:
        value = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLink(expired=True) from error
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
        raise BadLink(expired=False) from error
    if not isinstance(value, dict):
        raise BadLink(expired=False)
    return value
