"""What frames the records, kept in each process while it stands: the member states, and each
published question with its scale in each language.

They change only when an editor writes a member state, a question, a scale or a translation.
Those writes raise the revision's reference number as well as its number (migration 0017);
a stance's edit raises only the number. So the render after an edit, which must read the
records again, need not read these: 1.3 ms for the member states and about 1 ms for a
question and its scale at 100,000 changes, read before on every new revision.

Keyed by the reference's number and moment (Revision.reference_tag), as the request knows
it (stances.revisions): inside a transaction that wrote one of them, that is the transaction's
own, so it reads its own writes. Nothing here outlives the next reference write.
"""

import threading
from collections.abc import Callable, Hashable

from stances import revisions


class KeptWhileReferenceStands:
    def __init__(self):
        self._tag: Hashable = None
        self._kept: dict = {}
        self._lock = threading.Lock()

    def get(self, request, key: Hashable, load: Callable):
        """What `load()` gives, read once per reference revision and `key`.

        `load` may raise (a question not published, say): nothing is kept then.
        """
        tag = revisions.of_request(request).reference_tag
        with self._lock:
            if tag != self._tag:
                self._tag, self._kept = tag, {}
            elif key in self._kept:
                return self._kept[key]
        value = load()
        with self._lock:
            if tag == self._tag:  # not if a newer reference came meanwhile
                self._kept[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._tag, self._kept = None, {}


member_states = KeptWhileReferenceStands()
questions = KeptWhileReferenceStands()


def forget_all() -> None:
    """For tests, whose transactions roll back what raised the reference revision: this, and
    the translations each process keeps by it (stances/languages/content.py)."""
    from stances.languages.content import forget_translations

    member_states.clear()
    questions.clear()
    forget_translations()
