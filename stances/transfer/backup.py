"""All the stance data in one JSON document, and back: questions with their scales, stances
with their timelines, sources. Users are not included; a change names who recorded it.

Sources are numbered 1, 2, ... in the document, not by their database ids, so that a backup
restored into an empty database and backed up again gives the same document.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stances.models import MemberState, Position, Question, Source, Stance, StanceChange

FORMAT = "stances-backup"
VERSION = 1

# Positions and sources are kept as the site gives them (Position.DETAIL_FIELDS, Source.FIELDS);
# only the backup gives a question in full.
QUESTION_FIELDS = ["slug", "title", "description", "proposal", "is_open", "is_published"]


class BadBackup(ValueError):
    """The document cannot be restored; the message says why."""


def date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def dump() -> dict:
    """The whole of the stance data: a constant number of queries."""
    sources = list(Source.objects.order_by("pk"))
    number = {source.pk: n for n, source in enumerate(sources, start=1)}
    changes = list(
        StanceChange.objects.select_related(
            "position", "recorded_by", "stance__member_state"
        ).order_by("stance__member_state__protocol_order", *StanceChange.TIMELINE_ORDER)
    )
    StanceChange.attach_sources(changes)
    timelines = {}
    for change in changes:
        timelines.setdefault(change.stance.question_id, {}).setdefault(
            change.stance.member_state.code, []
        ).append(change_entry(change, number))
    questions = []
    for question in Question.objects.prefetch_related("positions").order_by("slug"):
        entry = {name: getattr(question, name) for name in QUESTION_FIELDS}
        entry["opened_on"] = date_text(question.opened_on)
        entry["positions"] = [p.to_detail_dict() for p in question.positions.all()]
        entry["timelines"] = timelines.get(question.pk, {})
        questions.append(entry)
    return {
        "format": FORMAT,
        "version": VERSION,
        "questions": questions,
        "sources": [source_entry(source, number[source.pk]) for source in sources],
    }


def change_entry(change: StanceChange, number: dict[int, int]) -> dict:
    """A change as recorded: `since` is left out, restoring the timeline derives it again."""
    fields = change.to_dict()
    del fields["since"]
    fields["effective_on"] = date_text(fields["effective_on"])
    return {
        "position": change.position.key,
        **fields,
        "sources": sorted(number[s.pk] for s in change.source_list),
        "recorded_by": change.recorded_by.get_username() if change.recorded_by else None,
        "recorded_at": change.recorded_at.astimezone(datetime.UTC).isoformat(),
    }


def source_entry(source: Source, number: int) -> dict:
    fields = source.to_dict()
    published_on = fields.pop("published_on")  # last, as text, where backups have it
    return {"number": number, **fields, "published_on": date_text(published_on)}


@transaction.atomic
def restore(document: dict) -> list[str]:
    """Load a backup into a database without questions or sources; returns warnings.

    Raises BadBackup, and writes nothing, if the database has stance data or the document
    is not a backup this version can read.
    """
    if Question.objects.exists() or Source.objects.exists():
        raise BadBackup(
            "The database already has questions or sources; restore only into a database "
            "without stance data."
        )
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadBackup("This is not a Stances backup.")
    if document.get("version") != VERSION:
        raise BadBackup(f"This backup is version {document.get('version')}; expected {VERSION}.")
    try:
        return load(document)
    except (KeyError, TypeError, ValueError, ValidationError, IntegrityError) as error:
        raise BadBackup(f"The backup is damaged or incomplete: {describe(error)}") from None


def load(document: dict) -> list[str]:
    warnings = []
    sources = {}
    for fields in document["sources"]:
        values = {name: fields[name] for name in Source.FIELDS}
        values["published_on"] = parse_date(values["published_on"])
        source = Source(**values)
        source.full_clean()
        source.save()
        sources[fields["number"]] = source
    member_states = {m.code: m for m in MemberState.objects.all()}
    users = {u.get_username(): u for u in get_user_model().objects.all()}
    missing_users = set()
    for fields in document["questions"]:
        question = Question(
            **{name: fields[name] for name in QUESTION_FIELDS},
            opened_on=parse_date(fields["opened_on"]),
        )
        question.full_clean()
        question.save()
        positions = {}
        for position_fields in fields["positions"]:
            position = Position(question=question, **position_fields)
            position.full_clean()
            position.save()
            positions[position.key] = position
        for code, timeline in fields["timelines"].items():
            if code not in member_states:
                raise BadBackup(f"Unknown member state {code} in “{question.slug}”.")
            load_timeline(question, member_states[code], positions, timeline, sources, users)
            missing_users |= {c["recorded_by"] for c in timeline} - set(users) - {None}
    if missing_users:
        warnings.append(
            "These users do not exist here, so their changes show no recorder: "
            + ", ".join(sorted(missing_users))
        )
    return warnings


def load_timeline(question, member_state, positions, timeline, sources, users):
    """Write a timeline as it was, recorded dates included: not through record_change, which
    records changes as new."""
    first = timeline[0]
    stance = Stance.objects.create(
        question=question,
        member_state=member_state,
        position=positions[first["position"]],
        summary=first["summary"],
        confidence=first["confidence"],
        since=parse_date(first["effective_on"]),
    )
    for fields in timeline:
        change = StanceChange(
            stance=stance,
            position=positions[fields["position"]],
            effective_on=parse_date(fields["effective_on"]),
            summary=fields["summary"],
            confidence=fields["confidence"],
            recorded_by=users.get(fields["recorded_by"]),
            recorded_at=datetime.datetime.fromisoformat(fields["recorded_at"]),
        )
        change.full_clean(exclude=["position_since", "recorded_at"])
        change.save()
        change.sources.set([sources[n] for n in fields["sources"]])
    stance.sync_with_timeline()


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing {error}."
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)
