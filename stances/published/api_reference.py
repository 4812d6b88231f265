"""The OpenAPI description read for people: what the /api/ page lists, from the same dict."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

SCHEMA_PREFIX = "#/components/schemas/"
MAX_PATTERN = 40


@dataclass(frozen=True)
class Word:
    """A piece of a type as read aloud; `schema` names the component it links to, if any."""

    text: str
    schema: str = ""


@dataclass
class Field:
    name: str
    where: str
    required: bool
    type: list[Word]
    description: str = ""


@dataclass
class Response:
    status: str
    description: str
    body: list[Word] = field(default_factory=list)
    headers: list[Field] = field(default_factory=list)


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    responses: list[Response]
    example: str = ""
    request_body: list[Word] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".lower().strip("/").replace("/", "-").strip("{}")


@dataclass
class Schema:
    name: str
    description: str
    fields: list[Field]
    type: list[Word]


def type_words(schema: dict) -> list[Word]:
    """A schema as a reader says it: "array of Position", "string (date) or null".

    The schema's own words (types, formats, values, names) stay as they are; the words around
    them are in the active language.
    """
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(SCHEMA_PREFIX)
        return [Word(name, schema=name)]
    if "oneOf" in schema:
        return joined([type_words(choice) for choice in schema["oneOf"]], alternatives())
    if "const" in schema:
        # Translators: a value the field always has, e.g. always "stance.changed".
        return [Word(_('always "%(value)s"') % {"value": schema["const"]})]
    if "enum" in schema:
        values = ", ".join("null" if v is None else f'"{v}"' for v in schema["enum"])
        # Translators: the values a field may have, e.g. one of "member", "not yet a member".
        return [Word(_("one of %(values)s") % {"values": values})]
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in kinds:
        words.append([*kind_words(kind, schema)])
    return joined(words, alternatives())


def alternatives() -> str:
    """What stands between two types a value may have: " or "."""
    # Translators: between two types a value may have, as in "string or null".
    word = pgettext("between two types", "or")
    return f" {word} "


def around(message: str, inner: list[Word]) -> list[Word]:
    """`message`'s words before and after its %(type)s, around the words of that type."""
    before, _placeholder, after = message.partition("%(type)s")
    return [*([Word(before)] if before else []), *inner, *([Word(after)] if after else [])]


def kind_words(kind: str, schema: dict) -> list[Word]:
    if kind == "array":
        # Translators: the type of a list, as in "array of Position"; keep %(type)s.
        return around(_("array of %(type)s"), type_words(schema.get("items", {})))
    if kind == "object" and "properties" in schema:
        # Translators: an object whose properties are listed below it.
        return [Word(_("object (below)"))]
    detail = [schema[key] for key in ("format", "pattern") if key in schema]
    # A date's pattern spells out every day it may name: the description says it in words.
    detail = [part for part in detail if len(part) <= MAX_PATTERN]
    if "minimum" in schema:
        # Translators: the least a number may be, as in "integer (from 1)".
        detail.append(_("from %(minimum)s") % {"minimum": schema["minimum"]})
    return [Word(f"{kind} ({', '.join(map(str, detail))})" if detail else kind)]


def joined(alternatives: list[list[Word]], between: str) -> list[Word]:
    words = []
    for number, alternative in enumerate(alternatives):
        if number:
            words.append(Word(between))
        words.extend(alternative)
    return words


def parameters(listed: list[dict]) -> list[Field]:
    return [
        Field(
            name=p["name"],
            where=p["in"],
            required=p.get("required", False),
            type=type_words(p.get("schema", {})),
            description=p.get("description", ""),
        )
        for p in listed
    ]


def responses(listed: dict) -> list[Response]:
    found = []
    for status, response in listed.items():
        body = response.get("content", {}).get("application/json", {}).get("schema")
        headers = [
            Field(name, "header", True, type_words(h.get("schema", {})), h.get("description", ""))
            for name, h in response.get("headers", {}).items()
        ]
        found.append(
            Response(status, response["description"], type_words(body) if body else [], headers)
        )
    return found


def operations(paths: dict, examples: dict[str, str] | None = None) -> list[Operation]:
    """Every operation of `paths`; `examples` gives a real address for a path template."""
    examples = examples or {}
    return [
        Operation(
            method=method.upper(),
            path=path,
            summary=described.get("summary", ""),
            description=described.get("description", ""),
            parameters=parameters(described.get("parameters", [])),
            responses=responses(described.get("responses", {})),
            example=examples.get(path, ""),
            request_body=request_body(described),
        )
        for path, methods in paths.items()
        for method, described in methods.items()
    ]


def request_body(described: dict) -> list[Word]:
    body = described.get("requestBody", {}).get("content", {}).get("application/json")
    return type_words(body["schema"]) if body else []


def object_fields(schema: dict) -> list[Field]:
    required = set(schema.get("required", []))
    return [
        Field(name, "", name in required, type_words(p), p.get("description", ""))
        for name, p in schema.get("properties", {}).items()
    ]


def schemas(components: dict) -> list[Schema]:
    """Each named schema with its fields; an object nested inside is listed after it."""
    found = []
    for name, schema in components.items():
        found.append(
            Schema(name, schema.get("description", ""), object_fields(schema), type_words(schema))
        )
        for property_name, nested in nested_objects(schema):
            found.append(
                Schema(
                    f"{name}.{property_name}",
                    nested.get("description", ""),
                    object_fields(nested),
                    type_words(nested),
                )
            )
    return found


def nested_objects(schema: dict, prefix: str = ""):
    """Objects written inline in a schema (not by reference), with their dotted names."""
    for name, prop in schema.get("properties", {}).items():
        candidates = [prop, prop.get("items", {}), *prop.get("oneOf", [])]
        for candidate in candidates:
            if candidate.get("type") == "object" and "properties" in candidate:
                yield prefix + name, candidate
                yield from nested_objects(candidate, prefix=f"{prefix}{name}.")
