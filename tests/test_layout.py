"""The layout README describes, kept: wings that do not import one another, a core that imports
no wing, no import circles, short functions and templates that readers never see the seams of."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "stances"
WINGS = {"pages", "published", "transfer", "serving", "maps", "reading", "following", "reports"}
# Where the wings meet: any wing may read through it; it imports only the core.
MEETING_WINGS = {"reading"}
# Where the project is put together: these may import every wing.
COMPOSITION = {"stances.urls", "stances.settings", "stances.wsgi", "stances.apps"}
COMPOSITION_PACKAGES = ("stances.templatetags", "stances.management", "stances.migrations")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in APP.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """The stances modules a file imports, wherever in the file (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    known = modules()
    return {name for name in found if name in known and name != "stances"}


def wing_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in WINGS else None


def is_composition(module: str) -> bool:
    return module in COMPOSITION or module.startswith(COMPOSITION_PACKAGES)


def test_no_wing_imports_another_wing_except_where_they_meet():
    crossings = []
    for module, path in modules().items():
        home = wing_of(module)
        if home is None:
            continue
        for imported in imports_of(path):
            other = wing_of(imported)
            if other not in (None, home) and not (
                other in MEETING_WINGS and home not in MEETING_WINGS
            ):
                crossings.append(f"{module} imports {imported}")
    assert crossings == []


def test_the_core_imports_no_wing():
    upward = [
        f"{module} imports {imported}"
        for module, path in modules().items()
        if wing_of(module) is None and not is_composition(module)
        for imported in imports_of(path)
        if wing_of(imported) is not None
    ]
    assert upward == []


def test_no_module_imports_itself_round_a_circle():
    graph = {module: imports_of(path) for module, path in modules().items()}

    def circle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            module, trail = stack.pop()
            for imported in graph.get(module, ()):
                if imported == start:
                    return [*trail, start]
                if imported not in seen:
                    seen.add(imported)
                    stack.append((imported, [*trail, imported]))
        return None

    circles = [circle for module in graph if (circle := circle_from(module))]
    assert circles == []


def python_files():
    for folder in ("stances", "tests"):
        yield from (ROOT / folder).rglob("*.py")


def test_no_function_is_over_fifty_lines():
    long = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 50:
                    long.append(f"{path.relative_to(ROOT)}: {node.name} ({length} lines)")
    assert long == []


TEMPLATES = sorted(p for p in (ROOT / "templates").rglob("*") if p.is_file())


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_template_lines_are_at_most_200_characters(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [n for n, line in enumerate(lines, start=1) if len(line) > 200] == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_comment_spans_lines_where_readers_would_see_it(path):
    # Django prints a {# #} comment that spans lines; {% comment %} is for those.
    assert re.findall(r"\{#(?:(?!#\}).)*\n", path.read_text(encoding="utf-8"), re.S) == []
