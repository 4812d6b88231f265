"""Spreadsheets as people have them, read into a header and rows of text.

CSV in UTF-8 (with or without a byte order mark; comma, semicolon or tab, whichever the header
line uses most), XLSX (its first sheet, through openpyxl), or cells pasted from a spreadsheet
(tab-separated text). Every cell comes out as a stripped string; a spreadsheet's dates as
YYYY-MM-DD. Nothing in a cell is ever evaluated: a formula is read as the text it is.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_BYTES = 5 * 1024 * 1024
# Each row is recorded, audited and reviewed one by one: a preview of more is not a review.
MAX_ROWS = 2000
# Far more than any file of changes needs; a longer header is refused before it is read.
MAX_COLUMNS = 200
DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"


class BadFile(ValueError):
    """The file as a whole cannot be read; the message says why, in words for the editor."""


@dataclass(frozen=True)
class Table:
    header: list[str]  # as the file writes it
    rows: list[tuple[int, list[str]]]  # (the row's number as a spreadsheet shows it, cells)


def read_table(content: bytes) -> Table:
    """An uploaded file, XLSX or CSV by what it holds (not by its name), or BadFile."""
    if len(content) > MAX_BYTES:
        raise BadFile(
            _(
                "The file is %(size)s MB; files up to %(limit)s MB are accepted. Split it into "
                "smaller files."
            )
            % {
                "size": number_format(len(content) / 1024 / 1024, 1),
                "limit": MAX_BYTES // 1024 // 1024,
            }
        )
    if content.startswith(ZIP_MAGIC):
        return _table(_xlsx_records(content))
    return read_text(_decoded(content))


def read_text(text: str) -> Table:
    """CSV text, or cells pasted from a spreadsheet (tab-separated)."""
    if not text.strip():
        raise BadFile(_("The file is empty."))
    if "\x00" in text:
        raise BadFile(_("The file is not a CSV text file: it contains NUL characters."))
    header_line = text.lstrip("\r\n").splitlines()[0]
    # Excel writes semicolons in many European languages; pasted cells come with tabs.
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise BadFile(
            _("Row %(row)s cannot be read as CSV: %(error)s.")
            % {"row": reader.line_num, "error": error}
        ) from None
    return _table(records)


def _decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(
            # Translators: “CSV UTF-8 (Comma delimited)” is the name of a file type in Excel:
            # give it as your language's Excel names it.
            _(
                "The file is not UTF-8 text (byte %(byte)s cannot be read as UTF-8). "
                "Save it as “CSV UTF-8” (in Excel: Save As, “CSV UTF-8 (Comma delimited)”) or "
                "as an Excel workbook (.xlsx), and upload it again."
            )
            % {"byte": error.start + 1}
        ) from None


def _xlsx_records(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # only an XLSX upload pays for importing it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise BadFile(
            _("The file cannot be read as an Excel workbook (.xlsx): %(error)s.") % {"error": error}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            if len(records) > MAX_ROWS + 1:
                break  # _table says so; the rest is not read
            records.append([_cell_text(value) for value in values[: MAX_COLUMNS + 1]])
        return records
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(records: list[list[str]]) -> Table:
    """The first row that holds something is the header; rows keep the numbers a spreadsheet
    shows them under, blank ones left out."""
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise BadFile(_("The file is empty."))
    header = [name.strip() for name in numbered[0][1]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise BadFile(
            ngettext(
                "The header names %(count)s column; the import reads at most %(limit)s. "
                "Keep the columns it needs and delete the others.",
                "The header names %(count)s columns; the import reads at most %(limit)s. "
                "Keep the columns it needs and delete the others.",
                len(header),
            )
            % {"count": number_format(len(header), force_grouping=True), "limit": MAX_COLUMNS}
        )
    rows = [(number, [cell.strip() for cell in cells]) for number, cells in numbered[1:]]
    if not rows:
        raise BadFile(_("The file has a header but no rows."))
    if len(rows) > MAX_ROWS:
        raise BadFile(
            ngettext(
                "The file has %(count)s row; at most %(limit)s are imported in one step, "
                "so that each can be reviewed. Split it into smaller files.",
                "The file has %(count)s rows; at most %(limit)s are imported in one step, "
                "so that each can be reviewed. Split it into smaller files.",
                len(rows),
            )
            % {
                "count": number_format(len(rows), force_grouping=True),
                "limit": number_format(MAX_ROWS, force_grouping=True),
            }
        )
    return Table(header, rows)
