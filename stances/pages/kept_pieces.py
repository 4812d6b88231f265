"""Markup kept in each process by exactly what it shows, the least recently used let go first.

A piece is written once for each set of values it shows, then given as it was written. Its
key must name every value the piece shows, and the language and script prefix its words and
addresses follow: a value left out would give one page's piece to another. Used for the map
page's per-country pieces (stances/pages/markup.py) and the template parts of `{% kept %}`
(stances/templatetags/kept.py).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class KeptPieces:
    def __init__(self, size: int):
        self.size = size
        self._pieces: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, write: Callable[[], str]) -> str:
        """The piece kept for `key`, else what `write()` gives, kept from now on."""
        with self._lock:
            piece = self._pieces.get(key)
            if piece is not None:
                self._pieces.move_to_end(key)
                return piece
        piece = write()
        with self._lock:
            self._pieces[key] = piece
            if len(self._pieces) > self.size:
                self._pieces.popitem(last=False)
        return piece

    def __len__(self) -> int:
        return len(self._pieces)
