"""The catalogues: one for each of the Union's languages but English, complete, awaiting a
native speaker's review; every string the code and templates mark is in each; and no text a
reader sees is left unmarked in a template."""

import html
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

from stances.languages import CODES, ENGLISH

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "stances" / "locale"
TRANSLATED = sorted(CODES - {ENGLISH})
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
TEMPLATE_SUFFIXES = {".html", ".txt", ".svg"}


def catalogue(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po)


def python_sources():
    return [p for p in (ROOT / "stances").rglob("*.py") if "migrations" not in p.parts]


def template_sources():
    return [p for p in (ROOT / "templates").rglob("*") if p.suffix in TEMPLATE_SUFFIXES]


def marked_strings() -> set[tuple[str | None, str]]:
    """(context, message) of every string the code and templates mark, as makemessages
    finds them (templates through Django's own templatize)."""
    found = set()
    sources = [(p, p.read_text()) for p in python_sources()]
    # templatize's output is Python-like, not Python: unindented, its tokens read as Python's.
    sources += [
        (p, "\n".join(line.lstrip() for line in templatize(p.read_text()).splitlines()))
        for p in template_sources()
    ]
    for _path, text in sources:
        for _, message, _, context in extract("python", io.BytesIO(text.encode()), KEYWORDS):
            singular = message[0] if isinstance(message, tuple) else message
            if singular:
                found.add((context, singular))
    return found


def forms(string) -> tuple:
    return string if isinstance(string, tuple) else (string,)


@pytest.fixture(scope="module")
def marked():
    return marked_strings()


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_has_every_marked_string_translated(language, marked):
    messages = catalogue(language)
    missing, untranslated = [], []
    for context, message_id in sorted(marked, key=str):
        entry = next(
            (
                m
                for m in messages
                if (m.id[0] if isinstance(m.id, tuple) else m.id) == message_id
                and m.context == context
            ),
            None,
        )
        if entry is None:
            missing.append(message_id)
        elif entry.fuzzy or not all(
            entry.string if isinstance(entry.string, tuple) else [entry.string]
        ):
            untranslated.append(message_id)
    assert not missing, f"{language}: not in the catalogue (run makemessages): {missing[:10]}"
    assert not untranslated, f"{language}: not translated: {untranslated[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_says_it_awaits_review(language):
    messages = catalogue(language)
    assert "awaits review by a native speaker" in messages.header_comment
    assert str(messages.locale).split("_")[0] == language


# Words a page may show in any language: names, formats, units.
NOT_WORDS = {
    *("Stances", "CSV", "JSON", "XLSX", "SVG", "PNG", "API", "OpenAPI", "Atom", "RSS", "ISO"),
    *("EU", "UTC", "TOTP", "QR", "URL", "HTML", "CC", "BY", "htmx", "Eurostat", "EL", "GR", "Esc"),
}
# Blocks whose content is an attribute's value, not text: the admin's body classes, og:type.
NOT_TEXT_BLOCKS = re.compile(r"\{% block (?:bodyclass|og_type) %\}.*?\{% endblock %\}")
VISIBLE_ATTRIBUTES = re.compile(
    r'\s(?:title|alt|aria-label|aria-description|placeholder|aria-roledescription)="([^"]*)"'
)
INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S)


def unmarked_text(source: str) -> list[str]:
    """Text a reader would see that no translation tag holds: text between tags and in the
    attributes read aloud or shown, outside {% translate %}, {% blocktranslate %} and comments.

    The template is put back together with each tag and variable as a blank, so that an HTML
    tag cut by a template variable is still read as one tag."""
    kept, depth = [], 0
    source = NOT_TEXT_BLOCKS.sub("", source)
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
            kept.append("\x00")
        elif token.token_type == TokenType.TEXT and not depth:
            kept.append(token.contents)
        else:
            kept.append("\x00")
    text = INVISIBLE.sub(" ", "".join(kept))
    pieces = VISIBLE_ATTRIBUTES.findall(text) + re.split(r"<[^>]*>", text)
    found = []
    for piece in pieces:
        words = re.findall(r"[^\W\d_]{2,}", html.unescape(piece))
        if [w for w in words if w not in NOT_WORDS]:
            found.append(" ".join(piece.replace("\x00", " ").split()))
    return found


@pytest.mark.parametrize(
    "path", template_sources(), ids=lambda p: str(p.relative_to(ROOT / "templates"))
)
def test_no_template_shows_unmarked_text(path):
    assert unmarked_text(path.read_text()) == []


def test_the_check_finds_unmarked_text():
    assert unmarked_text('<p title="Close">{% translate "Open" %}</p>') == ["Close"]
    assert unmarked_text("<h1>Positions</h1>") == ["Positions"]
    assert unmarked_text("{% blocktranslate %}Positions{% endblocktranslate %}") == []
    assert unmarked_text('<a href="/api/">API</a> <script>let x = "word";</script>') == []
