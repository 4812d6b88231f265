"""The OpenAPI 3.1 description of the read-only API; tests check the responses against it."""

import copy
import datetime

from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from stances.languages import OFFICIAL_LANGUAGES
from stances.models import EARLIEST_DATE, Confidence, Vote

DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
URL = {"type": "string", "format": "uri"}
# What stances/serving/caching.py sends on every public answer; a test holds the two together.
CACHE_CONTROL = "public, max-age=0, s-maxage=60"
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}


def interpolated(message, **values):
    """A lazy message with its %(name)s placeholders filled in when it is read, in the
    language active then."""
    return lazy(lambda: str(message) % values, str)()


def resolved(value):
    """The document with every lazy text read in the active language: plain JSON values."""
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(name: str) -> dict:
    return {"oneOf": [ref(name), {"type": "null"}]}


def strict(properties: dict, description=None) -> dict:
    """An object with exactly these properties, all present (null where documented)."""
    schema = {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }
    if description is not None:
        schema["description"] = description
    return schema


def array_of(schema: dict) -> dict:
    return {"type": "array", "items": schema}


CONFIDENCE = {
    "type": "string",
    "enum": Confidence.values,
    # Translators: official, reported and inferred are values of the API: keep them as they are.
    "description": _(
        "official: an official statement; reported: reported by the press; "
        "inferred: inferred from a wider position."
    ),
}

NULLABLE_CONFIDENCE = {**CONFIDENCE, "type": ["string", "null"], "enum": [*Confidence.values, None]}
VOTE = {
    "type": "string",
    "enum": Vote.values,
    # Translators: for, against, abstain and absent are values of the API: keep them as they are.
    "description": _(
        "How the position counts in a Council vote on the question's proposal: "
        "for, against, abstain, or absent (takes no part)."
    ),
}
QUESTION_REFERENCE = {"slug": {"type": "string"}, "title": {"type": "string"}, "api_url": URL}
QUESTION = {
    **QUESTION_REFERENCE,
    "description": {"type": "string"},
    "proposal": {"type": "string", "description": _("What a Council decision would adopt.")},
    "opened_on": DATE,
    "is_open": {"type": "boolean"},
    "url": {**URL, "description": _("The question's map page.")},
    "stances_url": URL,
}
POSITION_REFERENCE = {"key": {"type": "string"}, "label": {"type": "string"}, "vote": VOTE}
MEMBER_STATE_REFERENCE = {
    "code": {"type": "string", "pattern": "^[A-Z]{2}$", "description": _("ISO 3166-1 alpha-2.")},
    "eu_code": {"type": "string", "description": _("The EU's own code (EL for Greece).")},
    "name": {"type": "string"},
}

MEMBERSHIP = {
    "type": "string",
    "enum": ["member", "not yet a member"],
    "description": _("Whether it had joined the Union by the date; before, no position is given."),
}
STATUS = {
    "type": "string",
    "enum": [
        "reached",
        "blocked",
        "open",
        "undecided-without-untracked",
        "not-computed",
        "no-council",
    ],
    # Translators: reached, blocked, open, undecided-without-untracked, not-computed and
    # no-council are values of the API: keep them as they are.
    "description": _(
        "reached: passes whatever the undecided do; blocked: fails even if they all "
        "joined; open: either way; undecided-without-untracked: only an untracked member's vote "
        "(the United Kingdom's, until 31 January 2020) could swing it; not-computed: the rule of "
        "the day was weighted votes (before 1 November 2014); no-council: before 1 January 1958."
    ),
}

SCHEMAS = {
    "Error": strict({"error": {"type": "string", "description": _("What was wrong, in words.")}}),
    "QuestionReference": strict(QUESTION_REFERENCE),
    "Question": strict(QUESTION),
    "QuestionDetail": strict({**QUESTION, "positions": array_of(ref("Position"))}),
    "QuestionList": strict({"questions": array_of(ref("Question"))}),
    "PositionReference": strict(POSITION_REFERENCE),
    "Position": strict(
        {
            **POSITION_REFERENCE,
            "description": {"type": "string"},
            "colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
            "order": {"type": "integer", "minimum": 1, "description": _("Place on the scale.")},
            "requires_source": {"type": "boolean"},
        }
    ),
    "MemberStateReference": strict(MEMBER_STATE_REFERENCE),
    "MemberStateList": strict(
        {
            "member_states": array_of(
                strict({**MEMBER_STATE_REFERENCE, "api_url": URL}),
            )
        }
    ),
    "MemberState": strict(
        {
            **MEMBER_STATE_REFERENCE,
            "capital": {"type": "string"},
            "accession_date": {**DATE, "description": _("The day it joined.")},
            "population": {"type": "integer", "minimum": 1},
            "url": {**URL, "description": _("The member state's page.")},
            "stances": array_of(ref("MemberStateStance")),
        }
    ),
    "MemberStateStance": strict(
        {
            "question": ref("QuestionReference"),
            "position": nullable("PositionReference"),
            "since": NULLABLE_DATE,
            "summary": {"type": ["string", "null"]},
            "confidence": NULLABLE_CONFIDENCE,
            "timeline_url": URL,
        },
        _("The member state's current position on a question; null when nothing is recorded."),
    ),
    "Source": strict(
        {
            "url": URL,
            "title": {"type": "string"},
            "publisher": {"type": "string"},
            "published_on": NULLABLE_DATE,
            "speaker": {"type": "string"},
            "quote": {"type": "string"},
        }
    ),
    "Stance": strict(
        {
            "member_state": ref("MemberStateReference"),
            "membership": MEMBERSHIP,
            "position": nullable("PositionReference"),
            "since": {**NULLABLE_DATE, "description": _("Since when it holds this position.")},
            "effective_on": {
                **NULLABLE_DATE,
                "description": _("When the change in force was taken."),
            },
            "summary": {"type": ["string", "null"]},
            "confidence": NULLABLE_CONFIDENCE,
            "sources": array_of(ref("Source")),
            "timeline_url": URL,
        },
        _("A member state's position on the date asked for; null when nothing was recorded yet."),
    ),
    "StanceList": strict(
        {
            "question": ref("QuestionReference"),
            "as_of": DATE,
            "stances": array_of(ref("Stance")),
        }
    ),
    "Change": strict(
        {
            "id": {"type": "integer"},
            "question": ref("QuestionReference"),
            "member_state": ref("MemberStateReference"),
            "position": ref("PositionReference"),
            "effective_on": {**DATE, "description": _("When the position was taken.")},
            "since": {**DATE, "description": _("Start of the unbroken run of this position.")},
            "summary": {"type": "string"},
            "confidence": CONFIDENCE,
            "recorded_at": {"type": "string", "format": "date-time"},
            "sources": array_of(ref("Source")),
            "timeline_url": URL,
        },
        _("One dated entry of a member state's timeline on a question."),
    ),
    "Move": strict(
        {
            "member_state": ref("MemberStateReference"),
            "from": {**nullable("PositionReference"), "description": _("Null: nothing before.")},
            "to": ref("PositionReference"),
            "effective_on": {**DATE, "description": _("When the new position was taken.")},
            "since": DATE,
            "summary": {"type": "string"},
            "confidence": CONFIDENCE,
            "sources": array_of(ref("Source")),
        },
        # Translators: `effective_on` is a field of the API: keep it as it is.
        _("A member state's position in force became another one on `effective_on`."),
    ),
    "Outcome": strict(
        {
            "members": {"type": "integer", "minimum": 0, "description": _("Members that day.")},
            "untracked": array_of({"type": "string"}),
            "unanimity": STATUS,
            "qualified_majority": STATUS,
            "reinforced_majority": STATUS,
        },
        _("If the Council of that day had voted: its members, the rules Stances computes."),
    ),
    "Comparison": strict(
        {
            "question": ref("QuestionReference"),
            "from": DATE,
            "to": DATE,
            "moves": array_of(ref("Move")),
            "joined": array_of(
                strict({**MEMBER_STATE_REFERENCE, "accession_date": DATE}),
            ),
            "counts": array_of(
                strict(
                    {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "from": {"type": "integer", "minimum": 0},
                        "to": {"type": "integer", "minimum": 0},
                    }
                )
            ),
            "outcome": strict({"from": ref("Outcome"), "to": ref("Outcome")}),
        },
        # Translators: `from` and `to` are parameters of the API: keep them as they are.
        _("Moves taken after `from`, up to and including `to`, oldest first."),
    ),
    "ChangePage": strict(
        {
            "since": NULLABLE_DATE,
            "count": {"type": "integer", "minimum": 0, "description": _("Changes on all pages.")},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "next": NULLABLE_URL,
            "previous": NULLABLE_URL,
            "changes": array_of(ref("Change")),
        }
    ),
}


def json_response(schema: str, description) -> dict:
    return {
        "description": description,
        "headers": {
            "ETag": {"schema": {"type": "string"}, "description": _("Send back in If-None-Match.")},
            "Last-Modified": {"schema": {"type": "string"}, "description": _("The last write.")},
            "Cache-Control": {
                "schema": {"const": CACHE_CONTROL},
                "description": _(
                    "Browsers revalidate every time (cheap with the ETag); shared "
                    "caches may keep an answer for a minute."
                ),
            },
            "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
            "Content-Language": {
                "schema": {"type": "string", "enum": [code for code, _name in OFFICIAL_LANGUAGES]},
                "description": _("The language of the answer's words (see lang)."),
            },
        },
        "content": {"application/json": {"schema": ref(schema)}},
    }


def error(description) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


NOT_MODIFIED = {"description": _("Not modified since the ETag sent in If-None-Match.")}
# stances/serving/render_budget.py: each client's share of the time spent rendering.
TOO_MANY_RENDERS = {
    "description": _(
        "Too many new answers rendered for this client in the last minute; answers already "
        "cached still come. Retry-After says when to ask again."
    ),
    "headers": {"Retry-After": {"schema": {"type": "string", "pattern": "^[1-9][0-9]*$"}}},
    "content": {"application/json": {"schema": ref("Error")}},
}


def days_up_to(today: datetime.date) -> str:
    """A pattern for the YYYY-MM-DD days the API covers, from EARLIEST_DATE to `today`.

    JSON Schema cannot compare dates, so the range is spelt out: every earlier year, then this
    year's earlier months, then this month's days so far. Clients (and schemathesis) then know
    that 0424-08-06 or next year is refused before they ask.
    """
    month_day = r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    years = "|".join(str(year) for year in range(EARLIEST_DATE.year, today.year))
    months = "|".join(f"{month:02}" for month in range(1, today.month))
    days = "|".join(f"{day:02}" for day in range(1, today.day + 1))
    this_year = [f"{today.month:02}-({days})"]
    if months:
        this_year.insert(0, rf"({months})-(0[1-9]|[12]\d|3[01])")
    return rf"^(({years})-{month_day}|{today.year}-({'|'.join(this_year)}))$"


def date_parameter(name: str, description) -> dict:
    schema = {"type": "string", "format": "date"}  # its pattern is today's: with_days_up_to
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def operation(summary, schema: str, *, parameters=(), not_found=None, bad=None) -> dict:
    responses = {"200": json_response(schema, summary), "304": NOT_MODIFIED}
    responses["400"] = error(bad if bad is not None else BAD_LANGUAGE)
    if not_found is not None:
        responses["404"] = error(not_found)
    responses["429"] = TOO_MANY_RENDERS
    parameters = [*parameters, LANGUAGE]
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


# Every answer can be had in any of the Union's languages: the words of questions and scales
# where editors translated them, and the messages. The codes and keys never change.
LANGUAGE = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": _(
        "The language of the answer's words (titles, labels, messages); English when absent. "
        "The answer's Content-Language header names it."
    ),
    "schema": {"type": "string", "enum": [code for code, _name in OFFICIAL_LANGUAGES]},
}
BAD_LANGUAGE = _("“lang” names a language that is not one of the Union's.")


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": _("ISO or EU code, in any case: gr, GR and el are Greece."),
    "schema": {"type": "string"},
}
# api.page_number reads at most nine digits; a page beyond the last is a 404 anyway.
MAX_PAGE = 999_999_999
NO_QUESTION = _("No published question has this slug.")
BAD_DATE = interpolated(
    _("The date is malformed, before %(year)s or in the future."), year=EARLIEST_DATE.year
)


PATHS = {
    "/api/questions": operation(_("The published questions."), "QuestionList"),
    "/api/questions/{slug}": operation(
        _("A question with its scale of positions."),
        "QuestionDetail",
        parameters=[SLUG],
        not_found=NO_QUESTION,
    ),
    "/api/questions/{slug}/stances": operation(
        _("Each member state's position on a question, today or as of a date."),
        "StanceList",
        parameters=[
            SLUG,
            date_parameter(
                "as_of",
                interpolated(
                    # Translators: YYYY-MM-DD is the form of the date: keep it as it is.
                    _("YYYY-MM-DD, from %(year)s to today; today when absent."),
                    year=EARLIEST_DATE.year,
                ),
            ),
        ],
        not_found=NO_QUESTION,
        bad=BAD_DATE,
    ),
    "/api/questions/{slug}/compare": operation(
        _("Two dates of a question compared: the moves between them, counts and outcomes."),
        "Comparison",
        parameters=[
            SLUG,
            date_parameter(
                "from", _("YYYY-MM-DD, from the question's first record; that day if absent.")
            ),
            date_parameter(
                "to",
                # Translators: `from` is a parameter of the API: keep it as it is.
                _("YYYY-MM-DD, not before `from` nor after today; today if absent."),
            ),
        ],
        not_found=NO_QUESTION,
        bad=interpolated(
            # Translators: `from` and `to` are parameters of the API: keep them as they are.
            _(
                "The date is malformed, before %(year)s or in the future. "
                "Or `from` is after `to`, or before the question's first record."
            ),
            year=EARLIEST_DATE.year,
        ),
    ),
    "/api/member-states": operation(_("The 27 member states."), "MemberStateList"),
    "/api/member-states/{code}": operation(
        _("A member state's current positions on every published question."),
        "MemberState",
        parameters=[CODE],
        not_found=_("No member state has this code."),
    ),
    "/api/changes": operation(
        _("Timeline changes taken on or after a date, oldest first, 100 to a page."),
        "ChangePage",
        parameters=[
            date_parameter(
                "since", _("YYYY-MM-DD: changes taken on or after it; all when absent.")
            ),
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
        ],
        not_found=_("There is no such page."),
        bad=interpolated(
            _(
                "The date is malformed, before %(year)s or in the future. "
                "Or the page is not a whole number from 1."
            ),
            year=EARLIEST_DATE.year,
        ),
    ),
    "/api/openapi.json": {
        "get": {
            "summary": _("This description."),
            "responses": {
                "200": {
                    "description": _("The OpenAPI 3.1 document."),
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "304": NOT_MODIFIED,
                "429": TOO_MANY_RENDERS,
            },
        }
    },
}


WEBHOOK_POSITION = strict(
    {"key": {"type": "string"}, "label": {"type": "string"}, "colour": {"type": "string"}}
)
SCHEMAS["StanceChangedEvent"] = strict(
    {
        "type": {"const": "stance.changed"},
        "timestamp": {
            "type": "string",
            "format": "date-time",
            "description": _("When the change was recorded."),
        },
        "data": strict(
            {
                "change_id": {"type": "integer"},
                "question": strict(
                    {"slug": {"type": "string"}, "title": {"type": "string"}, "url": URL}
                ),
                "member_state": strict({"code": {"type": "string"}, "name": {"type": "string"}}),
                "from": {
                    "oneOf": [WEBHOOK_POSITION, {"type": "null"}],
                    "description": _(
                        "The position held before, on the timeline; null for the first entry."
                    ),
                },
                "to": WEBHOOK_POSITION,
                "effective_on": {**DATE, "description": _("When the position was taken.")},
                "since": {**DATE, "description": _("Since when the position has been held.")},
                "summary": {"type": "string"},
                "confidence": CONFIDENCE,
                "sources": array_of(
                    strict(
                        {
                            "url": URL,
                            "title": {"type": "string"},
                            "publisher": {"type": "string"},
                            "published_on": NULLABLE_DATE,
                        }
                    )
                ),
                "url": {
                    **URL,
                    "description": _("The question's map as of that day, country open."),
                },
                "api_url": URL,
            }
        ),
    },
    _("A change recorded for a member state on a question."),
)
WEBHOOKS = {
    "stanceChanged": {
        "post": {
            "summary": _("A member state's stance was recorded"),
            # Translators: `webhook-id`, `webhook-timestamp` and `webhook-signature` are headers:
            # keep them as they are.
            "description": _(
                "POSTed to each endpoint an admin registered whose filters match, "
                "signed as the Standard Webhooks specification says: `webhook-id` (the same on "
                "every retry: drop the ones you have seen), `webhook-timestamp` and "
                "`webhook-signature` (v1, HMAC-SHA256 with the endpoint's secret). Any 2xx "
                "answer within 10 seconds counts as delivered; otherwise it is retried, waiting "
                "30 s and doubling up to 4 hours, for a day. Redirects are not followed."
            ),
            "parameters": [
                {"in": "header", "name": name, "required": True, "schema": {"type": "string"}}
                for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("StanceChangedEvent")}},
            },
            "responses": {"2XX": {"description": _("Received; it will not be sent again.")}},
        }
    }
}


def with_days_up_to(paths: dict, today: datetime.date) -> dict:
    """The operations, each date parameter's schema naming the days up to today."""
    paths = copy.deepcopy(paths)
    for methods in paths.values():
        for described in methods.values():
            for parameter in described.get("parameters", []):
                if parameter["schema"].get("format") == "date":
                    parameter["schema"]["pattern"] = days_up_to(today)
    return paths


def openapi_document() -> dict:
    """The description in the active language: its texts are read at each call."""
    document = {
        "openapi": "3.1.0",
        "info": {
            # Translators: Stances is the name of the site: keep it as it is.
            "title": _("Stances API"),
            "version": "1.0.0",
            "summary": _("Where the 27 EU member states stand on questions on the EU agenda."),
            "description": interpolated(
                # Translators: keep the header, `{"error": "…"}` and YYYY-MM-DD as they are.
                _(
                    "Read-only (GET and HEAD; anything else is a 405); published "
                    "questions only. Responses carry `Cache-Control: %(cache_control)s` and an "
                    "ETag; send it back in If-None-Match to get a 304. Dates are YYYY-MM-DD only, "
                    'and a date parameter given empty is a 400. Errors are JSON: `{"error": "…"}`.'
                ),
                cache_control=CACHE_CONTROL,
            ),
        },
        "paths": with_days_up_to(PATHS, timezone.localdate()),
        "webhooks": WEBHOOKS,
        "components": {"schemas": SCHEMAS},
    }
    return resolved(document)
