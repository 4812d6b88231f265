"""Stance changes from a spreadsheet: read it, map its columns, check every row, then record
all or none.

A file is read into a table (stances/transfer/sheets.py: CSV, XLSX or pasted cells), each
column is given a meaning (guessed from its header by stances/transfer/columns.py, confirmed
or changed by the editor), and the rows are read by meaning, values as people write them
(stances/transfer/values.py). The exports' own columns are all guessed right, so an export can
be edited and brought back. A change with several sources takes one row per source. Every
change is written by stances.records, in one transaction, so it is audited and moves the
stance's version; a row that repeats a recorded entry with another summary or more sources
corrects that entry instead of adding one beside it, if the editor so chooses.
"""

import datetime
import hashlib
from collections import namedtuple
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stances import records
from stances.csvcodec import unescape_formula
from stances.models import (
    Confidence,
    MemberState,
    Position,
    Question,
    Source,
    Stance,
    StanceChange,
)
from stances.transfer import columns, values
from stances.transfer.sheets import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, BadFile, Table, read_table

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "BadFile", "Table", "read_table"]

SOURCE_COLUMNS = list(Source.COLUMNS.values())
SUMMARY_MAX = StanceChange._meta.get_field("summary").max_length
# Needed in every file; the question and the confidence may come from the form instead.
ALWAYS_NEEDED = ["code", "position", "effective_on"]


@dataclass(frozen=True)
class Options:
    """What the form says for every row."""

    question: Question | None = None  # for a file without a question column
    confidence: str = ""  # for rows that give none ("": each row must)
    date_order: str = values.DAY_FIRST  # how to read 03/04/2024


@dataclass
class FileRow:
    """A row of the uploaded file, its cells by meaning."""

    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, str]
    problem: str = ""  # what is wrong with the row's shape, if anything


@dataclass(frozen=True)
class Column:
    """A column as the mapping step shows it."""

    index: int
    header: str
    examples: list[str]
    meaning: str  # a key of columns.MEANINGS, or columns.IGNORED


def columns_of(table: Table, meanings: list[str]) -> list[Column]:
    """Each column with its first few values and its meaning."""
    return [
        Column(i, name, [cells[i] for _, cells in table.rows[:3] if i < len(cells)], meaning)
        for i, (name, meaning) in enumerate(zip(table.header, meanings, strict=True))
    ]


def mapping_problems(meanings: list[str], options: Options) -> list[str]:
    """What keeps a mapping from being read, in words for the editor; [] when none."""
    problems = []
    chosen = [m for m in meanings if m != columns.IGNORED]
    for key in sorted({m for m in chosen if chosen.count(m) > 1}):
        problems.append(
            _("Two columns are given as “%(meaning)s”: keep one.")
            % {"meaning": columns.BY_KEY[key].label}
        )
    needed = list(ALWAYS_NEEDED)
    if options.question is None:
        needed.insert(0, "question")
    if not options.confidence:
        needed.append("confidence")
    for key in needed:
        if key not in chosen:
            problems.append(_missing(key))
    return problems


def _missing(key: str) -> str:
    label = columns.BY_KEY[key].label
    if key == "question":
        message = _(
            "No column is given as “%(meaning)s”: choose the question above, or give its column."
        )
    elif key == "confidence":
        message = _(
            "No column is given as “%(meaning)s”: choose one confidence for every row above, "
            "or give its column."
        )
    else:
        message = _("No column is given as “%(meaning)s”.")
    return message % {"meaning": label}


def rows_of(table: Table, meanings: list[str]) -> list[FileRow]:
    """The table's rows, each cell under its column's meaning; ignored columns left out."""
    rows = []
    width = len(table.header)
    for number, cells in table.rows:
        by_meaning = {
            meaning: unescape_formula(cell)
            for meaning, cell in zip(meanings, cells, strict=False)
            if meaning != columns.IGNORED
        }
        row = FileRow(number, by_meaning)
        if any(cells[width:]):
            row.problem = ngettext(
                "This row has %(cells)s cell; the header names %(width)s.",
                "This row has %(cells)s cells; the header names %(width)s.",
                len(cells),
            ) % {"cells": len(cells), "width": width}
        rows.append(row)
    return rows


def date_orders_possible(table: Table, meanings: list[str]) -> set[str]:
    """How the file's written dates (03/04/2024) can be read: one order, or both when the
    editor must say which."""
    dated = [i for i, m in enumerate(meanings) if m in ("effective_on", "source_published_on")]
    cells = [cells[i] for _, cells in table.rows for i in dated if i < len(cells)]
    if not values.has_written_dates(cells):
        return {values.DAY_FIRST}
    return values.date_orders_possible(cells)


def read_rows(content: bytes) -> list[FileRow]:
    """A file of the exports' columns, read by the meanings guessed from its header, or
    BadFile when a column it needs is missing: for files that need no mapping step."""
    table = read_table(content)
    meanings = columns.guess(table.header)
    if problems := mapping_problems(meanings, Options()):
        raise BadFile(" ".join(problems))
    return rows_of(table, meanings)


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
    # A recorded entry of the same state, day and position that the file says otherwise:
    # the editor may correct it (its summary, confidence, more sources) rather than add one.
    correction_of: StanceChange | None = None

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

    @property
    def day_key(self) -> tuple:
        """What a recorded entry it might correct has in common with it."""
        return (self.question.pk, self.member_state.pk, self.position.pk, self.effective_on)


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
        return [e for e in self.entries if not e.already_recorded and not e.correction_of]

    @property
    def corrections(self) -> list[PlannedChange]:
        return [e for e in self.entries if e.correction_of is not None]

    @property
    def already_recorded(self) -> list[PlannedChange]:
        return [e for e in self.entries if e.already_recorded]

    @property
    def fingerprint(self) -> str:
        """What the plan would write: the preview carries it, so that a confirmation writes
        only what the editor saw."""
        seen = [
            (e.key, e.sources, e.already_recorded, e.correction_of and e.correction_of.pk)
            for e in self.entries
        ]
        return hashlib.sha256(repr(seen).encode()).hexdigest()[:20]


class Rejected(Exception):
    def __init__(self, plan: Plan):
        count = len(plan.rejections)
        super().__init__(
            ngettext("%(count)s row was rejected.", "%(count)s rows were rejected.", count)
            % {"count": count}
        )
        self.plan = plan


class RecordsMoved(Exception):
    """The records changed between the preview and the confirmation; nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(_("The records changed since the preview."))
        self.plan = plan


class References:
    """Everything the rows can name, fetched once: a constant number of queries."""

    def __init__(self, rows: list[FileRow], options: Options):
        slugs = {row.cells.get("question", "") for row in rows} - {""}
        questions = Question.objects.filter(slug__in=slugs)
        self.questions = {q.slug: q for q in questions}
        if options.question is not None:
            self.questions[""] = options.question
        self.scales = {}
        positions = Position.objects.filter(question__in={q.pk for q in self.questions.values()})
        for position in positions.order_by("order"):
            self.scales.setdefault(position.question_id, []).append(position)
        self.member_states = values.MemberStates(MemberState.objects.all())


def check(rows: list[FileRow], options: Options = Options()) -> Plan:  # noqa: B008
    """What importing the rows would do: the changes to record, those already recorded, the
    entries they would correct, and every rejected row with its reasons. Writes nothing."""
    references = References(rows, options)
    cells = {row.number: row.cells for row in rows}
    entries: dict[tuple, PlannedChange] = {}
    rejections, blank_rows = [], []
    seen: dict[tuple, int] = {}
    for row in rows:
        if not any(row.cells.get(name) for name in ("position", "effective_on", "confidence")):
            blank_rows.append(row.number)
            continue
        reasons = []
        entry = read_entry(row, references, options, reasons)
        source = read_source(row.cells, options, reasons)
        if entry is not None and not reasons:
            identity = (*entry.key, source)
            if identity in seen:
                reasons.append(_("Duplicate of row %(row)s.") % {"row": seen[identity]})
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
            reason = _(
                "“%(position)s” needs a source: give at least its address "
                "(a column given as “Source address”)."
            ) % {"position": entry.position.label}
            reject_entry(entry, entries, rejections, cells, reason)
    compare_with_records(entries)
    rejections.sort(key=lambda r: r.row)
    return Plan(list(entries.values()), rejections, blank_rows)


def read_entry(row: FileRow, references: References, options: Options, reasons: list[str]):
    cells = row.cells
    if row.problem:
        reasons.append(row.problem)
    question = references.questions.get(cells.get("question", ""))
    if question is None:
        reasons.append(
            _("Unknown question “%(slug)s”: give its slug.") % {"slug": cells.get("question", "")}
        )
    member_state = read_value(references.member_states.read, cells.get("code", ""), reasons)
    position = None
    if question is not None:
        scale = references.scales.get(question.pk, [])
        position = read_value(values.read_position, cells.get("position", ""), reasons, scale)
    effective_on = None
    if taken_on := cells.get("effective_on", ""):
        effective_on = read_value(values.read_day, taken_on, reasons, options.date_order)
    else:
        reasons.append(_("The date it was taken on is empty."))
    confidence = options.confidence
    if cells.get("confidence") or not confidence:
        confidence = read_value(values.read_confidence, cells.get("confidence", ""), reasons)
    summary = cells.get("summary", "")
    if len(summary) > SUMMARY_MAX:
        reasons.append(
            ngettext(
                "The summary has %(length)s character; at most %(limit)s.",
                "The summary has %(length)s characters; at most %(limit)s.",
                len(summary),
            )
            % {"length": len(summary), "limit": SUMMARY_MAX}
        )
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


def read_value(reader, value: str, reasons: list[str], *args):
    try:
        return reader(value, *args)
    except ValueError as error:
        reasons.append(str(error))
        return None


def read_source(cells: dict[str, str], options: Options, reasons: list[str]):
    """The row's source, or None without one. Its title may be left out: the publisher and
    the address stand in for it, and the address's host for a missing publisher."""
    if not any(cells.get(name) for name in SOURCE_COLUMNS):
        return None
    fields = {name: cells.get(column, "") for name, column in Source.COLUMNS.items()}
    published_on = fields["published_on"]
    fields["published_on"] = None
    if published_on:
        fields["published_on"] = read_value(
            values.read_day, published_on, reasons, options.date_order
        )
    source = Source(**fields).fill_in()
    try:
        source.clean_fields(exclude=["published_on"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = columns.BY_KEY[Source.COLUMNS[name]].label
            # Translators: a value's problem, after the meaning of its column.
            reasons.extend(
                _("%(meaning)s: %(problem)s") % {"meaning": label, "problem": message}
                for message in messages
            )
        return None
    return SourceFields.of(source)


def reject_entry(entry, entries, rejections, cells, reason):
    del entries[entry.key]
    rejections.extend(Rejection(number, cells[number], [reason]) for number in entry.rows)


def compare_with_records(entries: dict[tuple, PlannedChange]) -> None:
    """Mark the entries an earlier import (or an editor) already recorded, and those that say
    otherwise of a recorded entry of the same state, day and position: two queries.

    An entry matches a recorded change with the same position, date, summary and confidence
    whose sources include the entry's. One with another summary or confidence, or more
    sources, is a correction of that change (the latest of the day, if there are several).
    """
    if not entries:
        return
    recorded = list(
        StanceChange.objects.filter(
            stance__question__in={e.question.pk for e in entries.values()},
            effective_on__in={e.effective_on for e in entries.values()},
        )
        .select_related("stance")
        .order_by("recorded_at", "pk")
    )
    StanceChange.attach_sources(recorded)
    same, same_day = {}, {}
    for change in recorded:
        stance = change.stance
        day_key = (stance.question_id, stance.member_state_id, change.position_id)
        day_key += (change.effective_on,)
        key = (*day_key, change.summary, change.confidence)
        same.setdefault(key, []).append({SourceFields.of(s) for s in change.source_list})
        same_day[day_key] = change
    for entry in entries.values():
        if any(set(entry.sources) <= sources for sources in same.get(entry.key, [])):
            entry.already_recorded = True
        else:
            entry.correction_of = same_day.get(entry.day_key)
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
def import_changes(
    rows: list[FileRow], options: Options, user, corrected=None, previewed: str = ""
) -> Plan:
    """Record every new change of the rows and the corrections chosen, or nothing: Rejected if
    any row is rejected, RecordsMoved if the plan is no longer the one `previewed` (its
    fingerprint, when given), records.StaleVersion if an editor saves a stance meanwhile.

    `corrected` says which of the plan's corrections to make (their indexes in
    Plan.corrections; None: all); the others are recorded as entries of their own.
    The rows are checked again inside the transaction, with their questions locked, so that
    two editors confirming the same file at once cannot both record it.
    """
    slugs = {row.cells.get("question", "") for row in rows}
    pks = {q.pk for q in Question.objects.filter(slug__in=slugs)}
    if options.question is not None:
        pks.add(options.question.pk)
    list(Question.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    plan = check(rows, options)
    if plan.rejections:
        raise Rejected(plan)
    if previewed and plan.fingerprint != previewed:
        raise RecordsMoved(plan)
    record_plan(plan, corrected, user)
    return plan


def record_plan(plan: Plan, corrected, user) -> None:
    """Write the plan's new changes and chosen corrections; the other corrections become
    entries of their own."""
    corrections = {
        id(entry)
        for index, entry in enumerate(plan.corrections)
        if corrected is None or index in corrected
    }
    # Each write claims its stance's version, as an editor's save does: an edit begun before
    # the import is refused, and an edit that slips in now makes the import raise StaleVersion.
    versions = {
        (s.question_id, s.member_state_id): s.version
        for s in Stance.objects.filter(question__in={e.question.pk for e in plan.entries})
    }
    sources = {}
    for entry in plan.entries:
        if entry.already_recorded:
            continue
        key = (entry.question.pk, entry.member_state.pk)
        found = [source_for(fields, sources) for fields in entry.sources]
        if id(entry) in corrections:
            change = correct(entry, found, user, versions.get(key, 0))
        else:
            entry.correction_of = None  # recorded as an entry of its own
            change = records.record_change(
                question=entry.question,
                member_state=entry.member_state,
                position=entry.position,
                effective_on=entry.effective_on,
                summary=entry.summary,
                confidence=entry.confidence,
                sources=found,
                user=user,
                expected_version=versions.get(key, 0),
            )
        versions[key] = change.stance.version


def correct(entry: PlannedChange, found: list[Source], user, version: int) -> StanceChange:
    """The recorded entry with the file's summary (if it gives one) and confidence, and its
    sources with the file's added: audited like any amendment."""
    change = entry.correction_of
    StanceChange.attach_sources([change])
    kept = list(change.source_list)
    return records.amend_change(
        change=change,
        position=change.position,
        effective_on=change.effective_on,
        summary=entry.summary or change.summary,
        confidence=entry.confidence,
        sources=[*kept, *(s for s in found if s not in kept)],
        user=user,
        expected_version=version,
    )


def source_for(fields: SourceFields, known: dict) -> Source:
    """The source with exactly these fields: an existing one, or a new one."""
    if fields not in known:
        existing = Source.objects.filter(**fields._asdict()).order_by("pk")
        known[fields] = existing.first() or Source.objects.create(**fields._asdict())
    return known[fields]
