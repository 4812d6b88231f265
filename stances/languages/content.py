"""Questions and their scales in the reader's language, where editors have translated them.

While a reader's request is answered in another language than English (`shown_in`), every
Question and Position loaded from the database comes with the translated words in place of
the English ones (`Translated.from_db`), wherever the page, feed or download finds it, related
objects included. Each process keeps each language's translations in memory while the
reference revision stands (a translation's edit raises it; a stance's does not: migration
0017), so this costs no query once per language and reference. What has no translation keeps
its English, noted on the object (`untranslated`) for the "not yet translated" mark.

The English stays the record: the admin never reads through this, and an object holding
translated words refuses to be saved.
"""

import contextvars
import copy
import threading
from collections.abc import Callable, Hashable
from contextlib import contextmanager

from stances.languages import ENGLISH

# (language, a callable giving the reference revision) while a reader is answered. A revision
# is its number and when it was made: a database restored from a backup counts again from lower
# numbers, at other times.
_reader = contextvars.ContextVar("stances_reader_language", default=None)


def words_shown() -> str:
    """The language questions and positions are loaded in here and now."""
    reader = _reader.get()
    return ENGLISH if reader is None else reader[0]


@contextmanager
def shown_in(language: str, revision: Callable[[], Hashable]):
    """Load questions and positions in `language` inside this block."""
    token = _reader.set((language, revision) if language != ENGLISH else None)
    try:
        yield
    finally:
        _reader.reset(token)


class Translated:
    """For Question and Position: loaded in the reader's language, never saved in it."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        reader = _reader.get()
        if reader is not None:
            language, revision = reader
            put_words(obj, language, translations(language, revision()))
        return obj

    def save(self, *args, **kwargs):
        if getattr(self, "shown_in", None):
            raise RuntimeError(f"{self!r} holds its {self.shown_in} words: fetch it again to save")
        return super().save(*args, **kwargs)


_memory: dict[str, tuple[int, dict]] = {}
_lock = threading.Lock()


def translations(language: str, revision: Hashable) -> dict:
    """{(model name, pk): {field: words}} for `language`, as of `revision`: two queries the
    first time a process needs them after the data moved."""
    kept = _memory.get(language)
    if kept is not None and kept[0] == revision:
        return kept[1]
    from stances.languages.models import PositionTranslation, QuestionTranslation

    table = {}
    for model, field in [(QuestionTranslation, "question"), (PositionTranslation, "position")]:
        owner = model._meta.get_field(field).related_model  # Question, Position
        key, fields = f"{field}_id", owner.TRANSLATED_FIELDS
        for row in model.objects.filter(language=language).values(key, *fields):
            table[(owner.__name__, row[key])] = {f: row[f] for f in fields}
    with _lock:
        _memory[language] = (revision, table)
    return table


def forget_translations() -> None:
    """For tests, whose transactions roll back what raised the reference revision."""
    with _lock:
        _memory.clear()


def in_language(obj, language: str, revision: Hashable):
    """A copy of a Question or Position (None stays None) with its words in `language`, for
    what is written outside a reader's request: the alert mails, one language after another."""
    if obj is None or language == ENGLISH:
        return obj
    shown = copy.copy(obj)  # a model's copy has its own cache of related objects
    put_words(shown, language, translations(language, revision))
    return shown


def put_words(obj, language: str, table: dict) -> None:
    """Put `obj`'s words in `language` from `table` (translations()) in place of the English,
    noting which have none."""
    words = table.get((type(obj).__name__, obj.pk), {})
    untranslated = []
    for field in type(obj).TRANSLATED_FIELDS:
        if words.get(field):
            setattr(obj, field, words[field])
        elif getattr(obj, field, ""):
            untranslated.append(field)
    obj.shown_in, obj.untranslated = language, tuple(untranslated)


def is_untranslated(obj, field: str | None = None) -> bool:
    """Whether `obj` (or its `field`) is shown in English for want of a translation."""
    missing = getattr(obj, "untranslated", ())
    return field in missing if field else bool(missing)
