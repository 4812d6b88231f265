"""Stance changes from a spreadsheet: read a CSV file, check every row, then record all or none.

The columns are those of the exports (stances/csvcodec.py), so an export can be edited and
brought back; columns the import does not use (names, labels, "since") are ignored. A change
with several sources takes one row per source. Every change is written by
records.record_change, in one transaction, so it is audited and moves the stance's version.
"""

import csv
import datetime
import io
from collections import Counter, namedtuple
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from stances import records
from stances.csvcodec import unescape_formula
from stances.dates import parse_as_of
from stances.models import (
    Confidence,
    MemberState,
    Position,
    Question,
    Source,
    Stance,
    StanceChange,
)

MAX_BYTES = 5 * 1024 * 1024
# Each row is recorded, audited and reviewed one by one: a preview of more is not a review.
MAX_ROWS = 2000
# Far more than any file of changes needs; a longer header is refused before it is read.
MAX_COLUMNS = 200
REQUIRED_COLUMNS = ["question", "code", "position", "effective_on", "confidence"]
SOURCE_COLUMNS = list(Source.COLUMNS.values())
OPTIONAL_COLUMNS = ["summary", *SOURCE_COLUMNS]
SUMMARY_MAX = StanceChange._meta.get_field("summary").max_length


class BadFile(ValueError):
    """The file as a whole cannot be read; the message says why, in words for the editor."""


@dataclass
class FileRow:
    """A row of the uploaded file."""

    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, str]
    problem: str = ""  # what is wrong with the row's shape, if anything


class SourceFields(namedtuple("SourceFields", Source.CITATION_FIELDS)):
    """A source as the file gives it, by the fields that tell one source from another: a
    tuple, so that a change's sources compare with those already recorded."""

    __slots__ = ()

    @classmethod
    def of(cls, source: Source) -> "SourceFields":
        return cls(*(getattr(source, name) for name in cls._fields))


@dataclass
class PlannedChange:
    """One change to record, read from one row of the file per source."""

    rows: list[int]
    question: Question
    member_state: MemberState
    position: Position
    effective_on: datetime.date
    summary: str
    confidence: str
    sources: list[SourceFields] = field(default_factory=list)
    already_recorded: bool = False
    current: Position | None = None  # the stance's position before the import

    @property
    def confidence_label(self) -> str:
        return Confidence(self.confidence).label

    @property
    def key(self) -> tuple:
        return (
            self.question.pk,
            self.member_state.pk,
            self.position.pk,
            self.effective_on,
            self.summary,
            self.confidence,
        )


@dataclass
class Rejection:
    row: int
    cells: dict[str, str]
    reasons: list[str]


@dataclass
class Plan:
    entries: list[PlannedChange]
    rejections: list[Rejection]
    blank_rows: list[int]  # member states with nothing recorded, as in an as-of export

    @property
    def new(self) -> list[PlannedChange]:
        return [e for e in self.entries if not e.already_recorded]

    @property
    def already_recorded(self) -> list[PlannedChange]:
        return [e for e in self.entries if e.already_recorded]


class Rejected(Exception):
    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.rejections)} rows were rejected.")
        self.plan = plan


def read_rows(content: bytes) -> list[FileRow]:
    """The file's rows as dictionaries by column name, or BadFile."""
    if len(content) > MAX_BYTES:
        raise BadFile(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; files up to "
            f"{MAX_BYTES // 1024 // 1024} MB are accepted. Split it into smaller files."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read as UTF-8). "
            "Save it as “CSV UTF-8” (in Excel: Save As, “CSV UTF-8 (Comma delimited)”) and "
            "upload it again."
        ) from None
    if not text.strip():
        raise BadFile("The file is empty.")
    if "\x00" in text:
        raise BadFile("The file is not a CSV text file: it contains NUL characters.")
    header_line = text.splitlines()[0]
    # Excel in many European languages separates with semicolons.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise BadFile(f"Row {reader.line_num} cannot be read as CSV: {error}.") from None
    header = [name.strip().lower().replace(" ", "_") for name in records[0]]
    check_header(header)
    rows = []
    for number, values in enumerate(records[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        cells = {
            name: unescape_formula(value.strip())
            for name, value in zip(header, values, strict=False)
        }
        row = FileRow(number, cells)
        if any(value.strip() for value in values[len(header) :]):
            row.problem = f"This row has {len(values)} cells; the header names {len(header)}."
        rows.append(row)
    if not rows:
        raise BadFile("The file has a header but no rows.")
    if len(rows) > MAX_ROWS:
        raise BadFile(
            f"The file has {len(rows):,} rows; at most {MAX_ROWS:,} are imported in one step, "
            "so that each can be reviewed. Split it into smaller files."
        )
    return rows


def check_header(header: list[str]) -> None:
    """Linear in the number of columns: a header of tens of thousands costs milliseconds."""
    if len(header) > MAX_COLUMNS:
        raise BadFile(
            f"The header names {len(header):,} columns; the import reads at most {MAX_COLUMNS}. "
            "Keep the columns it needs and delete the others."
        )
    counts = Counter(name for name in header if name)
    duplicates = sorted(name for name, count in counts.items() if count > 1)
    if duplicates:
        raise BadFile(f"The header names these columns twice: {', '.join(duplicates)}.")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise BadFile(
            f"Missing columns: {', '.join(missing)}. The first row must name the columns; "
            f"needed: {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}."
        )


class References:
    """Everything the rows can name, fetched once: a constant number of queries."""

    def __init__(self, rows: list[FileRow]):
        slugs = {row.cells.get("question", "") for row in rows}
        self.questions = {q.slug: q for q in Question.objects.filter(slug__in=slugs)}
        self.positions = {
            (p.question_id, p.key): p
            for p in Position.objects.filter(question__in=self.questions.values())
        }
        self.scales = {}
        for position in sorted(self.positions.values(), key=lambda p: p.order):
            self.scales.setdefault(position.question_id, []).append(position.key)
        self.member_states = {}
        for member_state in MemberState.objects.all():
            self.member_states[member_state.code] = member_state
            self.member_states[member_state.eu_code] = member_state


def check(rows: list[FileRow]) -> Plan:
    """What importing the rows would do: the changes to record, those already recorded, and
    every rejected row with its reasons. Writes nothing."""
    references = References(rows)
    cells = {row.number: row.cells for row in rows}
    entries: dict[tuple, PlannedChange] = {}
    rejections, blank_rows = [], []
    seen: dict[tuple, int] = {}
    for row in rows:
        if not any(row.cells.get(name) for name in ("position", "effective_on", "confidence")):
            blank_rows.append(row.number)
            continue
        reasons = []
        entry = read_entry(row, references, reasons)
        source = read_source(row.cells, reasons)
        if entry is not None and not reasons:
            identity = (*entry.key, source)
            if identity in seen:
                reasons.append(f"Duplicate of row {seen[identity]}.")
            seen.setdefault(identity, row.number)
        if reasons:
            rejections.append(Rejection(row.number, row.cells, reasons))
            continue
        entry = entries.setdefault(entry.key, entry)
        if row.number not in entry.rows:
            entry.rows.append(row.number)
        if source is not None and source not in entry.sources:
            entry.sources.append(source)
    for entry in list(entries.values()):
        if entry.position.requires_source and not entry.sources:
            reason = (
                f"“{entry.position.label}” needs a source: fill in source_url, source_title "
                "and source_publisher."
            )
            reject_entry(entry, entries, rejections, cells, reason)
    compare_with_records(entries, rejections, cells)
    rejections.sort(key=lambda r: r.row)
    return Plan(list(entries.values()), rejections, blank_rows)


def read_entry(row: FileRow, references: References, reasons: list[str]) -> PlannedChange | None:
    cells = row.cells
    if row.problem:
        reasons.append(row.problem)
    question = references.questions.get(cells.get("question", ""))
    if question is None:
        reasons.append(f"Unknown question “{cells.get('question', '')}”: give its slug.")
    code = cells.get("code", "").upper()
    member_state = references.member_states.get(code)
    if member_state is None:
        reasons.append(
            f"Unknown country code “{cells.get('code', '')}”: use the ISO code (GR) or the "
            "EU code (EL) of a member state."
        )
    position = None
    if question is not None:
        position = references.positions.get((question.pk, cells.get("position", "")))
        if position is None:
            key = cells.get("position", "")
            problem = f"Unknown position “{key}” for this question" if key else "position is empty"
            keys = ", ".join(references.scales.get(question.pk, []))
            reasons.append(f"{problem}; use one of: {keys}.")
    effective_on = read_date(cells.get("effective_on", ""), "effective_on", reasons)
    if effective_on is None and cells.get("effective_on", "") == "":
        reasons.append("effective_on is empty: give the date the position was taken.")
    confidence = read_confidence(cells.get("confidence", ""), reasons)
    summary = cells.get("summary", "")
    if len(summary) > SUMMARY_MAX:
        reasons.append(f"The summary has {len(summary)} characters; at most {SUMMARY_MAX}.")
    if reasons:
        return None
    return PlannedChange(
        rows=[row.number],
        question=question,
        member_state=member_state,
        position=position,
        effective_on=effective_on,
        summary=summary,
        confidence=confidence,
    )


def read_date(value: str, column: str, reasons: list[str]) -> datetime.date | None:
    try:
        return parse_as_of(value)
    except ValueError as error:
        reasons.append(f"Bad date in {column}: {error}")
        return None


def read_confidence(value: str, reasons: list[str]) -> str | None:
    for key, label in Confidence.choices:
        if value.lower() in (key, label.lower()):
            return key
    problem = f"Unknown confidence “{value}”" if value else "confidence is empty"
    reasons.append(f"{problem}: use one of {', '.join(Confidence.values)}.")
    return None


def read_source(cells: dict[str, str], reasons: list[str]) -> SourceFields | None:
    if not any(cells.get(name) for name in SOURCE_COLUMNS):
        return None
    date_column = Source.COLUMNS["published_on"]
    fields = {name: cells.get(column, "") for name, column in Source.COLUMNS.items()}
    fields["published_on"] = read_date(fields["published_on"], date_column, reasons)
    source = Source(**fields)
    try:
        source.clean_fields(exclude=["published_on"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            reasons.extend(f"{Source.COLUMNS[name]}: {message}" for message in messages)
        return None
    return SourceFields.of(source)


def reject_entry(entry, entries, rejections, cells, reason):
    del entries[entry.key]
    rejections.extend(Rejection(number, cells[number], [reason]) for number in entry.rows)


def compare_with_records(entries: dict[tuple, PlannedChange], rejections, cells) -> None:
    """Mark the entries an earlier import (or an editor) already recorded: two queries.

    An entry matches a recorded change with the same position, date, summary and confidence
    whose sources include the entry's. One that would only add sources to it is rejected: a
    second entry would repeat it, so the editor adds the source to it in the admin instead.
    """
    if not entries:
        return
    recorded = list(
        StanceChange.objects.filter(
            stance__question__in={e.question.pk for e in entries.values()},
            effective_on__in={e.effective_on for e in entries.values()},
        ).select_related("stance")
    )
    StanceChange.attach_sources(recorded)
    by_key = {}
    for change in recorded:
        stance = change.stance
        key = (stance.question_id, stance.member_state_id, change.position_id)
        key += (change.effective_on, change.summary, change.confidence)
        by_key.setdefault(key, []).append({SourceFields.of(s) for s in change.source_list})
    for entry in list(entries.values()):
        matches = by_key.get(entry.key, [])
        if any(set(entry.sources) <= sources for sources in matches):
            entry.already_recorded = True
        elif matches:
            reason = (
                f"{entry.member_state} already has this entry of {entry.effective_on:%d %b %Y} "
                "with other sources; to add a source, edit that entry in the admin."
            )
            reject_entry(entry, entries, rejections, cells, reason)
    current = {
        (s.question_id, s.member_state_id): s.position
        for s in Stance.objects.filter(
            question__in={e.question.pk for e in entries.values()}
        ).select_related("position")
    }
    for entry in entries.values():
        entry.current = current.get((entry.question.pk, entry.member_state.pk))


def preview(content: bytes) -> Plan:
    return check(read_rows(content))


@transaction.atomic
def import_changes(content: bytes, user) -> Plan:
    """Record every new change of the file, or nothing: Rejected if any row is rejected,
    records.StaleVersion if an editor saves one of the stances meanwhile.

    The file is checked again inside the transaction, with its questions locked, so that two
    editors confirming the same file at once cannot both record it.
    """
    rows = read_rows(content)
    slugs = {row.cells.get("question", "") for row in rows}
    list(Question.objects.select_for_update().filter(slug__in=slugs).order_by("pk"))
    plan = check(rows)
    if plan.rejections:
        raise Rejected(plan)
    # Each change claims its stance's version, as an editor's save does: an edit begun before
    # the import is refused, and an edit that slips in now makes the import raise StaleVersion.
    versions = {
        (s.question_id, s.member_state_id): s.version
        for s in Stance.objects.filter(question__in={e.question.pk for e in plan.new})
    }
    sources = {}
    for entry in plan.new:
        key = (entry.question.pk, entry.member_state.pk)
        change = records.record_change(
            question=entry.question,
            member_state=entry.member_state,
            position=entry.position,
            effective_on=entry.effective_on,
            summary=entry.summary,
            confidence=entry.confidence,
            sources=[source_for(fields, sources) for fields in entry.sources],
            user=user,
            expected_version=versions.get(key, 0),
        )
        versions[key] = change.stance.version
    return plan


def source_for(fields: SourceFields, known: dict) -> Source:
    """The source with exactly these fields: an existing one, or a new one."""
    if fields not in known:
        existing = Source.objects.filter(**fields._asdict()).order_by("pk")
        known[fields] = existing.first() or Source.objects.create(**fields._asdict())
    return known[fields]
