"""How often one address, and one network, may ask for confirmation mails."""

from stances.rate_limits import WINDOW_SECONDS, counted_over

__all__ = ["WINDOW_SECONDS", "too_many"]

PER_ADDRESS = 3
PER_NETWORK = 20


def too_many(*, email: str, network: str) -> bool:
    """Count this request; True when the address or the network has asked too often this hour.

    Both are counted whatever the answer, so that a flood from one network cannot use up
    an address's allowance without also using up its own.
    """
    over_network = counted_over("follow-throttle:net", network, PER_NETWORK)
    over_address = counted_over("follow-throttle:mail", email.lower(), PER_ADDRESS)
    return over_network or over_address
