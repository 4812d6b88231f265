"""Which email addresses we accept: well-formed, and not from a throwaway mailbox."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# The throwaway-mail services seen most; an address there cannot be relied on to be the
# reader's own, and such sign-ups are how a list gets abused.
DISPOSABLE_DOMAINS = frozenset(
    """
    10minutemail.com 10minutemail.net 20minutemail.com 33mail.com anonbox.net burnermail.io
    discard.email dispostable.com emailondeck.com fakeinbox.com getairmail.com getnada.com
    guerrillamail.biz guerrillamail.com guerrillamail.de guerrillamail.info guerrillamail.net
    guerrillamail.org guerrillamailblock.com harakirimail.com inboxkitten.com jetable.org
    mail-temp.com mailcatch.com maildrop.cc mailinator.com mailinator.net mailnesia.com
    mailpoof.com mintemail.com mohmal.com moakt.com mytemp.email nada.email sharklasers.com
    spam4.me spambox.us spamgourmet.com temp-mail.io temp-mail.org tempail.com tempmail.com
    tempmail.dev tempmail.net tempmailo.com tempr.email throwawaymail.com trash-mail.com
    trashmail.com trashmail.de trashmail.net yopmail.com yopmail.fr yopmail.net
    """.split()  # noqa: SIM905 - a word list reads better than 54 quoted strings
)


def check_address(text: str) -> str:
    """The address as we store it (the domain in lower case), or ValidationError saying why."""
    address = text.strip()
    validate_email(address)
    local, _at, domain = address.rpartition("@")
    domain = domain.lower().rstrip(".")
    if domain in DISPOSABLE_DOMAINS or any(
        domain.endswith("." + known) for known in DISPOSABLE_DOMAINS
    ):
        raise ValidationError(
            _("Addresses at %(domain)s are throwaway mailboxes. Please use an address you keep."),
            params={"domain": domain},
        )
    return f"{local}@{domain}"
