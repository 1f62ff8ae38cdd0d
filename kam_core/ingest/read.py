"""Read a workbook or CSV file into grids of text cells, keeping Excel's row numbers.

Everything here runs inside the reading worker (worker.py), never in the server itself. A
workbook archive is scanned first (guard.py, zipscan.py: the ranges its sheets reach, the text
its shared strings fill, what its parts unpack to) and only then parsed: the reader builds a
sheet's whole range in memory before it can be cut short, so a file the scan refuses never
costs more than the scan.
"""

from __future__ import annotations

import errno
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number, ngettext
from kam_core.ingest import extent, parts
from kam_core.ingest.biff import biff_facts
from kam_core.ingest.biffserials import FAR_BELOW, holds_no_finite_number, legacy_serials_general
from kam_core.ingest.binsheet import plain_where_no_date, unknown_errors_as_text
from kam_core.ingest.csvread import read_csv, sniff_delimiter
from kam_core.ingest.currency_formats import with_currency_signs
from kam_core.ingest.duration_formats import with_durations_shown
from kam_core.ingest.encoding import Bytes, decode_text, doubled_marks
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.extent import MAX_ROW
from kam_core.ingest.grid import SheetGrid, Workbook, column_letter, sheet_file
from kam_core.ingest.guard import OLE_MAGIC, archive_kind, refuse_too_large, sniff, wide_encoding
from kam_core.ingest.jsonlines import json_kind, read_json_lines, refuse_single_values
from kam_core.ingest.legacy import (
    biff8_as_unicode,
    biff8_counts_from_1904,
    xlsb_counts_from_1904,
)
from kam_core.ingest.opendocument import breaks_as_spaces, ods_facts
from kam_core.ingest.padded import pad_columns, with_leading_zeros
from kam_core.ingest.pivotcache import cache_note, cache_sheets
from kam_core.ingest.recode import as_the_reader_reads, utf8_parts
from kam_core.ingest.relocate import standard_parts
from kam_core.ingest.scaled_formats import mark_scaled
from kam_core.ingest.spreadsheet2003 import read_spreadsheet_2003
from kam_core.ingest.webtable import read_web_tables

__all__ = [
    "SheetGrid",
    "Workbook",
    "column_letter",
    "decode_text",
    "failure",
    "read_here",
    "read_workbook",
    "sniff_delimiter",
]

# The reader reports error cells as e.g. "Expected string but got 'Error(Div0)'".
_ERROR_DETAIL = re.compile(r"Error\((\w+)\)")
# A date cell whose serial is no date ("DateTime(ExcelDateTime { value: 99999999.0, ...").
_DATE_DETAIL = re.compile(r"DateTime\(ExcelDateTime \{ value: (-?[0-9.eE+\-]+)")
# An OpenDocument duration cell (office:value-type="time"), its value as written (PT36H).
_DURATION_DETAIL = re.compile(r"DurationIso\(\"([^\"]{0,200})\"\)")
EXCEL_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}


Answer = tuple[str, object]  # ("ok", save_book's data) or (why not, detail), as worker.py reads


class OverCpu(BaseException):
    """The read used its processor time (not an Exception: readers must not swallow it)."""

    # Raised inside the reader's column callback it comes back as the reader's own error.
    raised = False


def over_cpu(_signum: int, _frame: object) -> None:
    """SIGXCPU handler of the reading worker."""
    OverCpu.raised = True
    raise OverCpu


def read_here(
    data: Bytes, file_name: str, limits: ImportLimits, folder: Path | None = None
) -> Workbook:
    """Read every sheet of a spreadsheet file (given as bytes) into text grids, in this process.

    folder: the reading worker's folder, where delimited text is written as it is read.
    """
    # Before the padding is measured: a sparse file of gigabytes of NULs took 20 s to walk, and
    # one of 250 MB was imported, past the bound, once its padding was left out.
    refuse_too_large(len(data), file_name, limits)
    # Two byte-order marks (UTF-8's before UTF-16's: a file converted twice): the text is in
    # the encoding of the last (read by the first, it was bytes of no table).
    mark_at, marks = doubled_marks(data)
    if marks:
        data = data[mark_at:]
    padding = _nul_padding(data)
    if padding:
        data = data[: len(data) - padding]
    data = utf8_parts(data, file_name, limits)
    kind = sniff(data, file_name, limits)
    if kind.kind == "csv":
        target = None if folder is None else sheet_file(folder, 0)
        if data[-1:] == b"\x1a":  # DOS's end-of-file mark, after the last line of old exports
            data = data[:-1]
        wide = None if json_kind(data) else _wide_json(data)
        if wide is not None:  # JSON in UTF-16 (PowerShell's Out-File writes it so)
            data = wide
        if json_kind(data):  # records exported as JSON, named .csv or .txt
            grid, notes = read_json_lines(data, file_name, limits)
        else:
            refuse_single_values(data, file_name)
            grid, notes = read_csv(data, file_name, limits, target)
        if kind.note:
            notes.insert(0, kind.note)
        if marks:
            notes.append(
                _(
                    "The file starts with {count} byte-order marks ({encodings}); it was read "
                    "in {encoding}, the encoding of the last."
                ).format(
                    count=fmt_number(len(marks)), encodings=", ".join(marks), encoding=marks[-1]
                )
            )
        if padding:
            notes.append(
                _("The file ends in {count} NUL bytes (padding); they were left out.").format(
                    count=fmt_number(padding)
                )
            )
        return Workbook(file_name, "csv", [grid], notes)
    if kind.kind == "xml2003":
        grids, notes = read_spreadsheet_2003(data, file_name, limits)
        return Workbook(file_name, "xml2003", grids, notes)
    if kind.kind in ("html", "mhtml"):
        grids, notes = read_web_tables(data, file_name, limits, archive=kind.kind == "mhtml")
        return Workbook(file_name, "html", grids, notes)
    if kind.kind == "xlsx":
        data = standard_parts(as_the_reader_reads(data, kind.rewrite))
    elif kind.kind == "xlsb":
        data = as_the_reader_reads(data, kind.rewrite)
    grids = read_workbook(data, file_name, limits)
    notes = list(kind.notes)
    if kind.kind == "xlsx" and not any(grid.n_rows for grid in grids):
        grids, notes = with_pivot_caches(data, file_name, limits, grids, notes)
    merges = as_shown(data, grids, kind.kind)
    if merges is None:
        merges = kind.merges
    for grid in grids:
        grid.formulas = {
            c: v for c, v in kind.formulas.get(grid.name, {}).items() if c < grid.table.num_columns
        }
        grid.merges = merges.get(grid.name, [])
        grid.hidden_columns = tuple(kind.hidden_columns.get(grid.name, ()))
    return Workbook(file_name, kind.kind, grids, notes, kind.missing)


def _wide_json(data: Bytes) -> bytes | None:
    """JSON written in UTF-16 or UTF-32 as UTF-8 bytes; None for any other text."""
    codec = wide_encoding(bytes(data[:4096]))
    if codec is None:
        return None
    head = bytes(data[:4096]).decode(codec, "replace").lstrip("\ufeff")
    if not json_kind(head.encode("utf-8")):
        return None
    # A unit that is no character (half a pair) becomes U+FFFD, its record kept.
    return bytes(data).decode(codec, "replace").lstrip("\ufeff").encode("utf-8")


def with_pivot_caches(
    data: bytes, file_name: str, limits: ImportLimits, grids: list[SheetGrid], notes: list[str]
) -> tuple[list[SheetGrid], list[str]]:
    """A workbook whose every sheet is empty: its pivot caches' records as sheets, noted."""
    cached = cache_sheets(data, file_name, limits)
    if not cached:
        return grids, notes
    return [*grids, *cached], [*notes, cache_note(cached)]


def as_shown(data: Bytes, grids: list[SheetGrid], kind: str) -> dict | None:
    """Pad the codes a workbook shows with leading zeros in its read grids; return the merges
    its format tells beside the scan (an .ods's, an .xls's), None for an .xlsx (the scan's)."""
    if kind == "xlsx":
        with_leading_zeros(data, grids)
        with_currency_signs(data, grids)
        with_durations_shown(data, grids)
        mark_scaled(data, grids)
        return None
    walks = {"ods": ods_facts, "xls": biff_facts}
    if kind not in walks:
        return None
    facts = walks[kind](bytes(data), extent.MAX_MERGES)
    for grid in grids:
        pad_columns(grid, facts.padded.get(grid.name, {}))
    return facts.merges


def workbook_kind(data: Bytes) -> str:
    """The kind of a workbook by its bytes alone (an .xlsb reads as "xlsx" here: no facts)."""
    if data[:8] == OLE_MAGIC:
        return "xls"
    return "ods" if _opendocument(data) else "xlsx"


def _nul_padding(data: Bytes) -> int:
    """How many NUL bytes pad the end of a text file (a copy cut short, a preallocated file).

    UTF-16 and UTF-32 text ends in NULs of its own: those stay, so the text keeps its width.
    """
    if data[-1:] != b"\0" or data[:2] == b"PK" or data[:8] == OLE_MAGIC:
        return 0
    end = len(data)
    while end > 0:
        start = max(0, end - (1 << 16))
        kept = len(data[start:end].rstrip(b"\0"))
        if kept:
            end = start + kept
            break
        end = start
    if end == 0:
        return 0  # nothing but NULs: refused as not a spreadsheet
    unit = {"utf-16": 2, "utf-32": 4}.get((wide_encoding(data[: min(end, 4096)]) or "")[:6], 1)
    end = -(-end // unit) * unit
    return len(data) - end if len(data) - end >= unit else 0


def _reader_failed(exc: BaseException) -> bool:
    """True for the reader's own errors, a panic of its native code included."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


class _Retry(Exception):
    """The reader refused cells it reads once rewritten (kind: a key of _REWRITES)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def read_workbook(
    data: bytes, file_name: str, limits: ImportLimits, keep: list[object] | None = None
) -> list[SheetGrid]:
    """Every sheet of a workbook (bytes) as text grids, read by the workbook reader.

    keep: where the reader's last sheet goes instead of being freed, in a process that ends
    once the grids are saved (its memory goes with the process).
    """
    data, missing = _without_missing_sheets(data, file_name)
    done: set[str] = set()
    while True:
        try:
            return _read_sheets(data, file_name, limits, done, keep, missing)
        except _Retry as retry:
            if keep is not None:
                keep.clear()  # the attempt's sheet goes before the file is read again
            # The reader refuses a whole sheet for one cell of a kind it does not read: those
            # cells are written as text and the sheet read again, so only their rows are
            # rejected (each kind once).
            done.add(retry.kind)
            data = _REWRITES[retry.kind](data)


_ERROR_TYPE = re.compile(rb"""\bt=(["'])e\1""")
_SHEET_ROOT = re.compile(rb"<(?:[\w.\-]+:)?worksheet[\s>]")
# A cell without a type of its own (a number) whose value is not a number as the format
# writes numbers ('abc', ' 100 '): the reader refuses the sheet for it. The value may follow
# the cell's formula (a saved result, <f>1-1</f><v> 0 </v>) and carry attributes of its own
# (<v xml:space="preserve">), as some generators write it.
# A number cell's start up to its value: the cell's tag (1) and attributes (2), then its
# formula if any and the value's own tag (3).
_TO_VALUE = (
    rb"<((?:[\w.\-]{1,100}:)?c)\b([^<>]{0,1000})>"
    rb"(\s{0,100}(?:<(?:[\w.\-]{1,100}:)?f\b[^<>]{0,1000}"
    rb"(?:/>|(?<!/)>[^<]{0,100000}</(?:[\w.\-]{1,100}:)?f\s{0,100}>)\s{0,100})?"
    rb"<(?:[\w.\-]{1,100}:)?v(?:\s[^<>/]{0,1000})?>)"
)
_NOT_A_NUMBER = re.compile(_TO_VALUE + rb"(?!(?>[-+]?(?>\d+(?>\.\d*)?|\.\d+)(?>[eE][-+]?\d+)?)</)")
_TYPED = re.compile(rb"""\bt\s*=\s*(["'])(?!n\1)""")
_NUMBER_TYPE = re.compile(rb"""\s\bt\s*=\s*(["'])n\1""")


# A number cell whose value is negative (a formula before it or not): looked at by
# _far_as_text, which types as text those too far below zero for any date.
_NEGATIVE = re.compile(_TO_VALUE + rb"(\s{0,100}-[0-9.eE+\-]{1,400}\s{0,100})</")


def errors_as_text(data: bytes) -> bytes:
    """The workbook with every error cell (t="e") turned into a text cell holding its code."""
    return _sheets_rewritten(data, lambda buf: _ERROR_TYPE.sub(rb't="str"', buf), 8)


def numbers_as_text(data: bytes) -> bytes:
    """The workbook with every number cell whose value is no number turned into a text cell."""
    return _sheets_rewritten(data, lambda buf: _NOT_A_NUMBER.sub(_number_as_text, buf), None)


def far_below_as_text(data: bytes) -> bytes:
    """The workbook with every number cell at or below FAR_BELOW turned into a text cell
    holding its value as written."""
    return _sheets_rewritten(data, lambda buf: _NEGATIVE.sub(_far_as_text, buf), None)


def _far_as_text(cell: re.Match[bytes]) -> bytes:
    try:
        far = float(cell.group(4)) <= FAR_BELOW
    except ValueError:
        far = False  # not a number: the reader refuses it and numbers_as_text types it
    if not far or _TYPED.search(cell.group(2)):
        return cell.group(0)
    return _number_as_text(cell) + cell.group(4) + b"</"


def binary_serials_plain(data: bytes) -> bytes:
    """The .xlsb with each number cell no date can show (a serial far below zero) given no
    cell format, so the reader shows its number (binsheet.plain_where_no_date)."""

    def plain(part: bytes) -> bytes:
        body = bytearray(part)
        plain_where_no_date(body)
        return bytes(body)

    return _binary_sheets_rewritten(data, plain)


def binary_errors_as_text(data: bytes) -> bytes:
    """The .xlsb with each error cell the reader does not know (#SPILL!) written as text."""
    return _binary_sheets_rewritten(data, unknown_errors_as_text)


def _binary_sheets_rewritten(data: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    """The .xlsb with the sheet parts its relationships name passed through rewrite."""
    source = zipfile.ZipFile(io.BytesIO(data))
    sheets = parts.xlsb_sheet_parts(source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in source.infolist():
            body = source.read(member)
            if parts.norm(member.filename) in sheets:
                body = rewrite(body)
            target.writestr(member.filename, body)
    return out.getvalue()


def _number_as_text(cell: re.Match[bytes]) -> bytes:
    attrs = cell.group(2)
    if _TYPED.search(attrs):
        return cell.group(0)  # text, shared text, a flag, an error: the reader reads it
    attrs = _NUMBER_TYPE.sub(b"", attrs)
    return b"<" + cell.group(1) + attrs + b' t="str">' + cell.group(3)


def _sheets_rewritten(data: bytes, rewrite: Callable[[bytes], bytes], keep: int | None) -> bytes:
    """The workbook with each sheet's XML passed through rewrite, a megabyte at a time.

    keep: bytes held back for the next chunk (a match cut at a chunk's end); None holds back
    from the last row's end on, for matches as long as a cell.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in source.infolist():
            with source.open(member) as part, target.open(member.filename, "w") as sink:
                carry = b""
                sheet = None
                while chunk := part.read(1 << 20):
                    if sheet is None:  # only sheets change: text elsewhere stays as written
                        sheet = _SHEET_ROOT.search(chunk[:4096]) is not None
                    if not sheet:
                        sink.write(chunk)
                        continue
                    buf = carry + chunk
                    if keep is not None:
                        buf = rewrite(buf)
                        cut = max(len(buf) - keep, 0)
                        sink.write(buf[:cut])
                    else:
                        # Whole rows go through: a row of 64 MB is let through as it is.
                        cut = buf.rfind(b"row>") + 4 if buf.rfind(b"row>") >= 0 else 0
                        if not cut and len(buf) > (64 << 20):
                            cut = len(buf)
                        sink.write(rewrite(buf[:cut]))
                    carry = buf[cut:]
                sink.write(rewrite(carry) if sheet else carry)
    return out.getvalue()


# Excel 4.0 macro sheets (XLM), which the reader does not open: it refuses the whole file.
_MACRO_TYPES = ("/xlmacrosheet", "/xlintlmacrosheet")
_REL = re.compile(rb"<(?:[\w.\-]+:)?Relationship\b[^<>]*>")
_REL_ID = re.compile(rb"""\bId\s*=\s*["']([^"']+)["']""")
_REL_TYPE = re.compile(rb"""\bType\s*=\s*["']([^"']+)["']""")


def _macro_sheets(data: bytes) -> set[bytes]:
    """The relationship ids of the workbook's macro sheets."""
    if not data.startswith(b"PK"):
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rels = archive.read("xl/_rels/workbook.xml.rels")
    except Exception:  # no such part: not an .xlsx the reader could open either
        return set()
    ids = set()
    for rel in _REL.findall(rels):
        kind, rid = _REL_TYPE.search(rel), _REL_ID.search(rel)
        if kind and rid and kind.group(1).decode("latin-1").lower().endswith(_MACRO_TYPES):
            ids.add(rid.group(1))
    return ids


def without_macro_sheets(data: bytes) -> bytes:
    """The workbook without its macro sheets' entries (their parts stay, unread)."""
    return _without_entries(data, _macro_sheets(data))


def _without_missing_sheets(data: bytes, file_name: str) -> tuple[bytes, frozenset[str]]:
    """The workbook without the entries of sheets whose part the archive lacks, and their
    names; refused, naming them, when no sheet is left to read."""
    if not data.startswith(b"PK") or _opendocument(data):
        return data, frozenset()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            missing, listed, book = parts.archive_missing_sheets(archive)
    except Exception:  # an archive the reader cannot open either: it says why
        return data, frozenset()
    if not missing:
        return data, frozenset()
    names = [name for _rid, name in missing]
    if len(missing) >= listed:
        shown = ", ".join(f"'{named(name)}'" for name in names)
        raise ImportRefused(
            ngettext(
                "{file}: the workbook is damaged: it lists {count} sheet ({sheets}) but its part "
                "is missing from the file; there is no sheet to read. Open it in Excel or "
                "LibreOffice, save it again and upload that file.",
                "{file}: the workbook is damaged: it lists {count} sheets ({sheets}) but their "
                "parts are missing from the file; there is no sheet to read. Open it in Excel or "
                "LibreOffice, save it again and upload that file.",
                len(names),
            ).format(file=named(file_name), count=fmt_number(len(names)), sheets=shown)
        )
    if book.endswith(".xml"):
        # An entry whose relationship is missing stops the reader opening the file at all
        # ("Cannot detect file format"): such entries are left out of the workbook part.
        # (An .xlsb's entries are records: the reader opens it and the sheet is skipped.)
        data = _without_entries(data, {rid.encode("utf-8") for rid, _name in missing})
    return data, frozenset(names)


def _without_entries(data: bytes, ids: set[bytes]) -> bytes:
    """The workbook without the sheet entries of these relationship ids (their parts stay)."""
    entry = re.compile(
        rb"<(?:[\w.\-]+:)?sheet\b[^<>]*\bid\s*=\s*[\"'](?:"
        + b"|".join(re.escape(i) for i in ids)
        + rb")[\"'][^<>]*/>"
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in source.infolist():
            if member.filename == "xl/workbook.xml":
                target.writestr(member.filename, entry.sub(b"", source.read(member)))
                continue
            # The sheets are copied in steps: a large one is not held whole a second time.
            large = member.file_size >= (1 << 31)
            with (
                source.open(member) as part,
                target.open(member.filename, "w", force_zip64=large) as copy,
            ):
                shutil.copyfileobj(part, copy, 1 << 20)
    return out.getvalue()


# A sheet's <dimension> element, which only hints at its used range (Excel works the range
# out from the cells); the reader refuses the whole file for a range it cannot parse.
_DIMENSION = re.compile(
    rb"<((?:[\w.\-]{1,100}:)?)dimension\b[^<>]{0,1000}?(?:/>|>\s{0,100}</\1dimension\s{0,100}>)"
)
# The reader's words for a range or cell position it cannot parse.
_BAD_RANGE = ("range is missing the expected row component", "expecting alphanumeric character")
_BAD_POSITION = (*_BAD_RANGE, "range is missing the expected column component")


# A row or cell position written absolute, as a formula writes one (r="$A$2", r="A$2",
# r="$2"): the reader refuses the whole file for the '$'; the position is the same without it.
_ABSOLUTE = re.compile(rb"""(\sr\s{0,100}=\s{0,100}["'])(\$?[A-Za-z]{0,3}\$?[0-9]{1,10})(?=["'])""")


def _plain_position(found: re.Match[bytes]) -> bytes:
    return found.group(1) + found.group(2).replace(b"$", b"")


def positions_plain(data: bytes) -> bytes:
    """The workbook with its sheets' row and cell positions written without '$'."""
    return _sheets_rewritten(data, lambda buf: _ABSOLUTE.sub(_plain_position, buf), None)


def without_dimensions(data: bytes) -> bytes:
    """The workbook with its sheets' <dimension> elements left out."""
    return _sheets_rewritten(data, lambda buf: _DIMENSION.sub(b"", buf), 1200)


_REWRITES = {
    "errors": errors_as_text,
    "numbers": numbers_as_text,
    "macros": without_macro_sheets,
    "dimensions": without_dimensions,
    "positions": positions_plain,
    "serials": far_below_as_text,
    "binary serials": binary_serials_plain,
    "binary errors": binary_errors_as_text,
    "legacy serials": legacy_serials_general,
}


def _read_sheets(
    data: bytes,
    file_name: str,
    limits: ImportLimits,
    done: set[str],
    keep: list[object] | None = None,
    missing: frozenset[str] = frozenset(),
) -> list[SheetGrid]:
    data = breaks_as_spaces(biff8_as_unicode(data), file_name, limits.max_text_chars)
    if data[:8] == OLE_MAGIC and holds_no_finite_number(data):
        data = legacy_serials_general(data)  # NaN and infinity shown as numbers, not dates
    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
    except BaseException as exc:  # calamine raises its own error types for every broken file
        if OverCpu.raised:
            raise OverCpu from exc
        if not _reader_failed(exc):
            raise
        if "macros" not in done and _macro_sheets(data):
            raise _Retry("macros") from exc
        raise ImportRefused(_explain_reader_error(file_name, exc)) from exc
    _refuse_twice_named(names, file_name)
    date1904 = counts_from_1904(data)
    serials = not _opendocument(data)  # an .ods stores its dates as dates, not serials
    grids = []
    for name in names:
        if name in missing:
            continue  # its part is missing from the file: named in the scan's note
        try:
            # header_row=None with skip_rows=0 keeps leading blank rows, so row i is Excel row i+1.
            sheet = reader.load_sheet(
                name,
                header_row=None,
                skip_rows=0,
                dtypes="string",
                use_columns=lambda col: col.index < limits.max_columns,
                n_rows=limits.max_rows + 1,  # one more than allowed, to tell the user
            )
            batch, errors = sheet.to_arrow_with_errors()
            table = _with_error_codes(pa.Table.from_batches([batch]), errors)
            if serials:
                table = with_serials_outside(table, date1904)
            columns = [c.absolute_index for c in sheet.available_columns()]
            table = long_numbers_as_shown(reader, name, table, columns, limits.max_rows + 1)
            if "binary serials" in done or data[:8] == OLE_MAGIC:
                # Where such cells were given no format: an .xlsb once its read overflowed,
                # an .xls (whose cells may be given it before the first read) always.
                table = far_below_as_shown(table)
        except BaseException as exc:
            if OverCpu.raised:  # the processor-time limit, seen by the reader as its error
                raise OverCpu from exc
            if not _reader_failed(exc):
                raise
            low = str(exc).lower()
            if "errors" not in done and "unsupported cell error value" in low:
                raise _Retry("errors") from exc
            if "binary errors" not in done and "unsupported cell error code" in low:
                # The same in an .xlsb (its cells are records): written as text there too.
                raise _Retry("binary errors") from exc
            if "numbers" not in done and "invalid float literal" in low:
                raise _Retry("numbers") from exc
            if "binary serials" not in done and "out of bounds" in low and _binary(data):
                # The same in an .xlsb: such cells are given no format, so the reader shows
                # their number.
                raise _Retry("binary serials") from exc
            if "serials" not in done and "out of bounds" in low and data[:2] == b"PK":
                # A date cell's serial far below zero (-1e15) stopped the reader: such cells
                # are read as the text written, so only their rows are rejected.
                raise _Retry("serials") from exc
            if "legacy serials" not in done and "out of bounds" in low and data[:8] == OLE_MAGIC:
                # The same in an .xls: such cells are given the general format, so the reader
                # shows their number (biffserials.py).
                raise _Retry("legacy serials") from exc
            if "positions" not in done and "alphanumeric character, got 24" in low:
                # A position written absolute ($A$2): read without the '$', as Excel places it.
                raise _Retry("positions") from exc
            if "dimensions" not in done and any(words in low for words in _BAD_RANGE):
                # A used range written as no writer reads it (empty, "$A$1:$C$4", "A1:"):
                # read without it, as Excel does; a cell's own bad position is still refused.
                raise _Retry("dimensions") from exc
            where = _("{file}, sheet '{sheet}'").format(file=named(file_name), sheet=named(name))
            if "string index not found" in str(exc).lower():
                past = shared_index_past_end(data)
                if past is not None:
                    raise ImportRefused(_past_end_message(where, *past)) from exc
            if any(words in low for words in _BAD_POSITION):
                bad = bad_position(data, name)
                if bad is not None:
                    raise ImportRefused(_bad_position_message(where, *bad)) from exc
            raise ImportRefused(_explain_reader_error(where, exc)) from exc
        if table.num_rows >= MAX_ROW and _opendocument(data):
            # The reader stops an OpenDocument sheet at Excel's last row without a word: rows
            # beyond it (LibreOffice writes up to 16 million) would be lost.
            raise ImportRefused(
                _(
                    "{file}, sheet '{sheet}': the sheet reaches row {rows} or beyond, the most "
                    "this app reads from an OpenDocument sheet. Save it as CSV (or split it) and "
                    "upload that."
                ).format(file=named(file_name), sheet=named(name), rows=fmt_number(MAX_ROW))
            )
        if table.num_rows > limits.max_rows:
            raise ImportRefused(
                _(
                    "{file}, sheet '{sheet}': more than {limit} rows; the limit is {limit} rows "
                    "per sheet. Split the file and import the parts."
                ).format(
                    file=named(file_name), sheet=named(name), limit=fmt_number(limits.max_rows)
                )
            )
        letters = tuple(column_letter(c.absolute_index) for c in sheet.available_columns())
        table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        visible = str(getattr(sheet, "visible", "visible")).lower().endswith("visible")
        if data[:8] == OLE_MAGIC:
            _bound_repeated_text(table, file_name, name, limits)
        grids.append(SheetGrid(name, table, 1, letters, hidden=not visible, date1904=date1904))
        if keep is not None:
            # Freeing the reader's cells one by one took 0.1-0.15 s of processor time for a
            # million rows; each sheet before the last is freed as the next is read, so the
            # memory held stays that of one sheet.
            keep[:] = [reader, sheet]
    return grids


def _bound_repeated_text(table: pa.Table, file_name: str, name: str, limits: ImportLimits) -> None:
    """Refuse an .xls sheet whose cells fill more text than a workbook may (its shared texts
    repeated): the bound the scan of an .xlsx applies before reading, applied once read."""
    # An .xls has no parts to measure beforehand; the worker's ceiling bounds the read, this
    # keeps the server from taking the grid (a 1.5 MB file filled 416 million characters).
    total = sum(
        pc.sum(pc.utf8_length(column)).as_py() or 0
        for column in table.columns
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    )
    if total > limits.max_text_chars:
        raise ImportRefused(
            _(
                "{file}, sheet '{sheet}': its cells hold text {total} characters long in all; "
                "the limit is {limit}. A few long texts are copied into very many cells (the "
                "file may be built to exhaust memory). Clear those cells and save again."
            ).format(
                file=named(file_name),
                sheet=named(name),
                total=fmt_number(total),
                limit=fmt_number(limits.max_text_chars),
            )
        )


_DATE_1904 = re.compile(
    rb"""<(?:[\w.\-]+:)?workbookPr\s[^<>]*?\bdate1904\s*=\s*["'](?:1|true)["']"""
)


def _binary(data: bytes) -> bool:
    """True for an .xlsb archive, known by its members as the scan knows it."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return False
    return archive_kind(names) == "xlsb"


def _opendocument(data: bytes) -> bool:
    """True for an OpenDocument archive, known by its members as the scan knows it."""
    # By the archive's directory, not the mimetype member's place: zip tools add fields to it,
    # compress it or store it later, and the reader opens such files all the same.
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return False
    return archive_kind(names) == "ods"


# An OpenDocument spreadsheet's own day 0 (LibreOffice's "1904" option), in its settings.
_NULL_DATE_1904 = re.compile(rb"<table:null-date\b[^<>]*table:date-value=[\"']1904-01-01")


def counts_from_1904(data: bytes) -> bool:
    """True for a workbook saved with the 1904 date system (serials count from 1904-01-01)."""
    if data[:8] == OLE_MAGIC:
        return biff8_counts_from_1904(data)
    if _opendocument(data):
        return _ods_from_1904(data)
    # The reader turns cells of the date formats it knows into dates itself; a serial of a
    # format it does not know (East Asian built-in formats 27-36, 50-58) comes through as a
    # number, which the parse must count from the workbook's own start.
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.bin" in archive.namelist():  # an .xlsb: its properties are a record
                return xlsb_counts_from_1904(archive.read("xl/workbook.bin"))
            book = archive.read("xl/workbook.xml")  # measured by the scan: a small part
    except Exception:  # no such part (an .ods), or unreadable: the reader judged the file
        return False
    return _DATE_1904.search(_without_comments(book)) is not None


def _without_comments(xml: bytes) -> bytes:
    """The XML without its comments (a date1904 written in one is no setting), in one pass."""
    parts = xml.split(b"<!--")
    kept = [parts[0]]
    for part in parts[1:]:
        end = part.find(b"-->")
        if end >= 0:  # an unclosed comment runs to the end
            kept.append(part[end + 3 :])
    return b"".join(kept)


def _ods_from_1904(data: bytes) -> bool:
    """True when an OpenDocument spreadsheet counts its days from 1904-01-01."""
    # The calculation settings stand before the tables: the content's first megabyte.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as part:
            head = part.read(1 << 20)
    except Exception:  # unreadable: the reader judged the file
        return False
    return _NULL_DATE_1904.search(head) is not None


def _refuse_twice_named(names: list[str], file_name: str) -> None:
    """Refuse two sheets of one name: the reader finds sheets by name and reads the first twice."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ImportRefused(
                _(
                    "{file}: the workbook has two sheets named '{sheet}'; the second cannot be "
                    "read apart from the first. Rename one in Excel or LibreOffice, save it again "
                    "and upload that file."
                ).format(file=named(file_name), sheet=named(name))
            )
        seen.add(name)


def _with_error_codes(table: pa.Table, errors: object) -> pa.Table:
    """Put what the reader left blank back: a failed formula's code, a date cell's number."""
    found: dict[int, dict[int, str]] = {}
    for error in getattr(errors, "errors", None) or []:
        detail = str(error.detail)
        code = _ERROR_DETAIL.search(detail)
        serial = _DATE_DETAIL.search(detail) or _DURATION_DETAIL.search(detail)
        row, col = error.position
        if col >= table.num_columns or row >= table.num_rows:
            continue
        if code:
            name = code.group(1)
            found.setdefault(col, {})[row] = EXCEL_ERRORS.get(name, f"#{name.upper()}")
        elif serial:  # keep the number (a duration as written): the row shows its value
            found.setdefault(col, {})[row] = serial.group(1).removesuffix(".0")
    for col, cells in found.items():
        mask = np.zeros(table.num_rows, dtype=bool)
        rows = sorted(cells)
        mask[rows] = True
        column = pc.replace_with_mask(
            table.column(col).combine_chunks(), pa.array(mask), pa.array([cells[r] for r in rows])
        )
        table = table.set_column(col, table.field(col), column)
    return table


# A date as the reader writes a date cell's serial (a year past 9999 signed: +10000-01-01).
_READER_DATE = re.compile(
    r"[+-]?[0-9]{4,6}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"
)
_SERIAL_DAY0 = np.datetime64("1899-12-30T00:00:00", "ms")  # the reader counts serials from here
_DAY_MS = np.timedelta64(86_400_000, "ms")


def with_serials_outside(table: pa.Table, date1904: bool) -> pa.Table:
    """The table with each date cell whose serial Excel shows as no date written as that serial.

    Excel shows ##### for a negative serial, 1900-01-00 for 0 and nothing past 9999-12-31; the
    reader turned them into days before 1900 (-5 as 1899-12-26) or past 9999, so a row was
    rejected showing a date the user cannot find in the file.
    """
    # Every date the reader gives before Excel's first day sorts before it as text, and so
    # does a year past 9999 ('+' before the digits): one comparison finds them all.
    first = _text_scalar(b"1904-01-01" if date1904 else b"1900-01-01")
    nineteen = pa.Array.from_buffers(pa.int32(), 1, [None, pa.py_buffer(_NINETEEN)])[0]
    for col in range(table.num_columns):
        column = table.column(col)
        if not pa.types.is_string(column.type):
            continue
        long_enough = pc.greater_equal(pc.utf8_length(column), nineteen)
        if not pc.any(long_enough).as_py():
            continue
        early = pc.fill_null(pc.and_(long_enough, pc.less(column, first)), False)
        rows = np.flatnonzero(early.to_numpy(zero_copy_only=False))
        if not len(rows):
            continue
        shown = {}
        for row, text in zip(rows, column.take(pa.array(rows)).to_pylist(), strict=True):
            if _READER_DATE.fullmatch(text):
                shown[int(row)] = _serial_of(text, date1904)
        if shown:
            mask = np.zeros(table.num_rows, dtype=bool)
            mask[list(shown)] = True
            values = pa.array([shown[r] for r in sorted(shown)])
            fixed = pc.replace_with_mask(column.combine_chunks(), pa.array(mask), values)
            table = table.set_column(col, table.field(col), fixed)
    return table


_NINETEEN = np.array([19], np.int32).tobytes()  # characters in the reader's date and time

# A number of more than 15 figures, as the reader writes a number cell out: the double in
# full (a code 123456789012345678901234567890 typed as a number comes as
# 123456789012345695469905641472, digits the file never held; Excel keeps 15 of them).
_LONG_FIGURES = r"^[1-9][0-9]{15,}$"
_SIXTEEN = np.array([16], np.int32).tobytes()
_EXACT_BELOW = 2.0**53


def _exact_doubles(figures: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Which figures are a double's exact value, as a number cell comes: a code typed as text
    seldom is one, and a column without such figures need not be read again."""
    value = pc.cast(figures, pa.float64())
    exact = pc.cast(pc.cast(value, pa.decimal256(76, 0), safe=False), pa.string())
    # Past 76 figures the decimal cannot hold the value: such a cell is looked at all the same.
    long = pc.greater(pc.binary_length(figures), pc.binary_length(exact))
    same = pc.or_(pc.equal(exact, figures), long)
    return np.asarray(pc.fill_null(same, True).to_numpy(zero_copy_only=False), dtype=bool)


def long_numbers_as_shown(
    reader: object, name: str, table: pa.Table, columns: list[int], n_rows: int
) -> pa.Table:
    """The table with each number cell of more than 15 figures written as Excel shows it, in
    scientific notation (1.2345678901234568E+29): an id so written is rejected as having lost
    its digits, where the figures the reader wrote out were stored as the id."""
    sixteen = pa.Array.from_buffers(pa.int32(), 1, [None, pa.py_buffer(_SIXTEEN)])[0]
    found: dict[int, np.ndarray] = {}
    for col in range(table.num_columns):
        column = table.column(col)
        if not pa.types.is_string(column.type):
            continue
        long_enough = pc.greater_equal(pc.binary_length(column), sixteen)
        if not pc.any(long_enough).as_py():
            continue
        shaped = pc.and_(long_enough, pc.match_substring_regex(column, _LONG_FIGURES))
        rows = np.flatnonzero(pc.fill_null(shaped, False).to_numpy(zero_copy_only=False))
        if len(rows):
            figures = column.take(pa.array(rows))
            # Below 2**53 every whole number is a double's exact value: its figures are the
            # file's own (a program that wrote 16 of them kept them all).
            values = pc.cast(figures, pa.float64()).to_numpy(zero_copy_only=False)
            beyond = np.asarray(values, dtype=float) >= _EXACT_BELOW
            rows = rows[_exact_doubles(figures) & beyond]
        if len(rows):
            found[col] = rows
    if not found:
        return table
    # Text cells of such figures (a code typed as text) stay: read again as flags, a number
    # cell is true or false and a text cell empty.
    wanted = [columns[col] for col in found]
    try:
        typed = reader.load_sheet(  # type: ignore[attr-defined]
            name,
            header_row=None,
            skip_rows=0,
            dtypes=dict.fromkeys(wanted, "boolean"),
            use_columns=wanted,
            n_rows=n_rows,
        ).to_arrow()
    except Exception:
        if OverCpu.raised:
            raise OverCpu from None
        return table  # read as before
    if typed.num_rows != table.num_rows or typed.num_columns != len(found):
        return table
    for at, (col, rows) in enumerate(found.items()):
        numbers = typed.column(at).take(pa.array(rows)).is_valid().to_numpy(zero_copy_only=False)
        rows = rows[numbers]
        if not len(rows):
            continue
        texts = table.column(col).take(pa.array(rows)).to_pylist()
        shown = [
            np.format_float_scientific(float(text), unique=True, trim="-").upper() for text in texts
        ]
        mask = np.zeros(table.num_rows, dtype=bool)
        mask[rows] = True
        fixed = pc.replace_with_mask(
            table.column(col).combine_chunks(), pa.array(mask), pa.array(shown, pa.string())
        )
        table = table.set_column(col, table.field(col), fixed)
    return table


# A number far below zero as the reader writes it out (-1000000000000000): at or below
# FAR_BELOW (-1e11), twelve figures or more.
_FAR_FIGURES = r"^-[0-9]{12,}(?:\.[0-9]+)?$"


def far_below_as_shown(table: pa.Table) -> pa.Table:
    """The table with each number of an .xlsb's or .xls's date cell far below zero, given no
    format so that the reader shows it, written as Excel shows it (-1E+15), not in the figures
    the reader writes out: a binary double has no written form of its own."""
    for col in range(table.num_columns):
        column = table.column(col)
        if not pa.types.is_string(column.type):
            continue
        far = pc.fill_null(pc.match_substring_regex(column, _FAR_FIGURES), False)
        rows = np.flatnonzero(far.to_numpy(zero_copy_only=False))
        if not len(rows):
            continue
        texts = column.take(pa.array(rows)).to_pylist()
        shown = [
            np.format_float_scientific(float(text), unique=True, trim="-").upper() for text in texts
        ]
        mask = np.zeros(table.num_rows, dtype=bool)
        mask[rows] = True
        fixed = pc.replace_with_mask(
            column.combine_chunks(), pa.array(mask), pa.array(shown, pa.string())
        )
        table = table.set_column(col, table.field(col), fixed)
    return table


def _text_scalar(text: bytes) -> pa.Scalar:
    """A text scalar built from its buffers: pa.scalar() would import pandas into the worker."""
    offsets = pa.py_buffer(np.array([0, len(text)], np.int32).tobytes())
    return pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(text)])[0]


def _serial_of(text: str, date1904: bool) -> str:
    """The serial a date cell held, from the date the reader made of it, as Excel writes it."""
    days = float((np.datetime64(text.replace(" ", "T"), "ms") - _SERIAL_DAY0) / _DAY_MS)
    # The reader adds a day below 60 (Excel's 1900-02-29, a day that never was) and counts a
    # 1904 workbook's serials 1,462 days later.
    shift = 1462 if date1904 else 0
    serial = days - shift if days >= 60 else days - shift - 1
    return f"{round(serial, 8):.15g}"


# A shared-text cell with its index, the cell's attributes first (any order inside them).
_SHARED_CELL = re.compile(
    rb"<(?:[\w.\-]{1,100}:)?c\b([^<>]{0,1000})>\s{0,100}<(?:[\w.\-]{1,100}:)?v>\s{0,100}"
    rb"([0-9]{1,10})\s{0,100}</"
)
_SHARED_TYPE = re.compile(rb"""\bt\s*=\s*(["'])s\1""")
_CELL_REF = re.compile(rb"""\br\s*=\s*(["'])([A-Za-z]{1,3}[0-9]{1,7})\1""")
_STRING_ITEM = re.compile(rb"<(?:[\w.\-]{1,100}:)?si[\s>/]")


def shared_index_past_end(data: bytes) -> tuple[str, int, int] | None:
    """The first cell naming shared text past the table's end: (cell, index, count)."""
    # Looked for only once the reader has refused such a file: it does not say which cell.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        table = next((m for m in members if m.filename.lower().endswith("sharedstrings.xml")), None)
        count = _count_chunks(archive, table, _STRING_ITEM) if table is not None else 0
        for member in members:
            if not member.filename.lower().endswith(".xml") or member is table:
                continue
            found = _cell_past(archive, member, count)
            if found is not None:
                return (found[0], found[1], count)
    return None


def _count_chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, pattern: re.Pattern) -> int:
    """How many times pattern occurs in a part, read a megabyte at a time."""
    total, carry = 0, b""
    with archive.open(member) as part:
        while chunk := part.read(1 << 20):
            buf = carry + chunk
            cut = max(buf.rfind(b"<"), 0)  # a tag cut at the chunk's end waits for the next
            total += len(pattern.findall(buf, 0, cut))
            carry = buf[cut:]
    return total + len(pattern.findall(carry))


def _cell_past(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, count: int
) -> tuple[str, int] | None:
    """The first shared-text cell of a part whose index is count or more: (cell, index)."""
    carry = b""
    with archive.open(member) as part:
        while True:
            chunk = part.read(1 << 20)
            buf = carry + chunk
            # A cell starting in the last 4 KB may go on in the next chunk: it is looked at
            # then (a cell the pattern matches is shorter).
            cut = len(buf) - 4096 if chunk else len(buf)
            for cell in _SHARED_CELL.finditer(buf):
                if cell.start() >= cut:
                    break
                index = int(cell.group(2))
                if index >= count and _SHARED_TYPE.search(cell.group(1)):
                    ref = _CELL_REF.search(cell.group(1))
                    return (ref.group(2).decode().upper() if ref else "?", index)
            if not chunk:
                return None
            carry = buf[max(cut, 0) :]


# A row or cell start tag whose position the reader cannot read: a row's is letters (which it
# ignores), then a number from 1; a cell's the same with one letter at least. Group 1: "row" or
# "c"; the position follows the match. Linear: the attributes before it are bounded.
_ODD_POSITION = re.compile(
    rb"<(?:[\w.\-]{1,100}:)?"
    rb"(?:(row)\s[^<>]{0,1000}?(?<=\s)r\s{0,100}=\s{0,100}([\"'])"
    rb"(?![A-Za-z]{0,9}0*[1-9][0-9]{0,9}\2)"
    rb"|(c)\s[^<>]{0,1000}?(?<=\s)r\s{0,100}=\s{0,100}([\"'])"
    rb"(?![A-Za-z]{1,9}0*[1-9][0-9]{0,9}\4))"
)
# A numbered row's start tag (the number in group 1), looked for back from a place.
_ROW_NUMBER = re.compile(
    rb"<(?:[\w.\-]{1,100}:)?row\s[^<>]{0,1000}?(?<=\s)r\s{0,100}=\s{0,100}[\"'][A-Za-z]{0,9}"
    rb"([0-9]{1,10})[\"']"
)
_TAG_EDGE = 2048  # longer than any match of the two patterns above


def bad_position(data: bytes, sheet: str) -> tuple[str, str, int] | None:
    """The first row number or cell position of a sheet that the reader cannot read:
    ("row" or "cell", the position as written, the number of the last row before it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        small = {
            parts.norm(m.filename): archive.read(m)
            for m in members
            if parts.kept(m.filename) and m.file_size <= parts.MAX_SMALL_PART
        }
        names = parts.sheet_names(small, parts.relationships(small))
        for member in members:
            name = parts.norm(member.filename)
            # Relationship ids repeat from part to part: the workbook may seem to be named too.
            if names.get(name) == sheet and name not in small:
                return _first_bad_position(archive, member)
    return None


def _first_bad_position(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo
) -> tuple[str, str, int] | None:
    """The first position of a sheet part the reader cannot read (bad_position)."""
    carry, last = b"", 0
    with archive.open(member) as part:
        while True:
            chunk = part.read(1 << 20)
            buf = carry + chunk
            # A tag cut short waits for the rest; text after the last tag is passed over.
            cut = buf.rfind(b"<", max(len(buf) - _TAG_EDGE, 0)) if chunk else len(buf)
            cut = len(buf) if cut < 0 else cut
            odd = _ODD_POSITION.search(buf, 0, cut)
            if odd is not None:
                value = re.match(rb"""([^"'<>]{0,100})""", buf[odd.end() :]).group(1)
                before = _row_before(buf, odd.start())
                kind = "row" if odd.group(1) else "cell"
                return kind, value.decode("utf-8", "replace"), last if before is None else before
            if not chunk:
                return None
            before = _row_before(buf, cut)
            last = last if before is None else before
            carry = buf[cut:]


def _row_before(buf: bytes, end: int) -> int | None:
    """The number of the last numbered row whose tag starts before end in buf, if any."""
    at = end
    while (at := buf.rfind(b"row", 0, at)) >= 0:
        start = buf.rfind(b"<", max(at - 101, 0), at)
        found = _ROW_NUMBER.match(buf, start) if start >= 0 else None
        if found is not None and found.end() > at:
            return int(found.group(1))
    return None


def _bad_position_message(where: str, kind: str, text: str, last: int) -> str:
    if kind == "row" and last:
        return _(
            "{where}: the file is damaged: the row after row {last} is numbered '{number}', "
            "and rows are numbered from 1. Open it in Excel or LibreOffice, save it again and "
            "upload that file."
        ).format(where=where, last=fmt_number(last), number=named(text))
    if kind == "row":
        return _(
            "{where}: the file is damaged: its first row is numbered '{number}', and rows are "
            "numbered from 1. Open it in Excel or LibreOffice, save it again and upload that "
            "file."
        ).format(where=where, number=named(text))
    return _(
        "{where}: the file is damaged: a cell of row {last} has its place written '{position}', "
        "which names no cell (a cell is named by its column's letters and its row from 1, as "
        "B7). Open it in Excel or LibreOffice, save it again and upload that file."
    ).format(where=where, last=fmt_number(last), position=named(text))


def _past_end_message(where: str, cell: str, index: int, count: int) -> str:
    return _(
        "{where}: cell {cell} refers to shared text number {index}, but the workbook holds "
        "{count} shared texts (numbered from 0): the file is damaged. Open it in Excel or "
        "LibreOffice, save it again and upload that file."
    ).format(where=where, cell=named(cell), index=index, count=fmt_number(count))


def _explain_reader_error(where: str, exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    low = str(exc).lower()
    if "password" in low or "encrypt" in low:
        return _(
            "{where}: the workbook is protected with a password. Remove the password in "
            "Excel and upload it again."
        ).format(where=where)
    # The reader's own words go last, set apart: they name the broken part for whoever
    # repairs the file, and in a right-to-left message they keep their order.
    return _(
        "{where}: the file is damaged or not a workbook this app can read. Open it in Excel or "
        "LibreOffice, save it again and upload that file. (The reader said: {error})"
    ).format(where=where, error=named(text))


# --- the worker's answer ---------------------------------------------------------------------


def _out_of_memory(exc: BaseException) -> bool:
    """An error of the memory ceiling in other words (a mapping or allocation refused)."""
    # Arrow reports a refused mapping or buffer as OSError or ArrowMemoryError, not MemoryError.
    if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
        return True
    text = str(exc)
    # A thread's stack is address space too: under the ceiling a reader cannot start one.
    return isinstance(exc, Exception) and any(
        words in text
        for words in (
            "Cannot allocate memory",
            "failed to allocate",
            "Failed to allocate",
            "bad_alloc",
            "Failed to launch worker thread",
        )
    )


def failure(exc: BaseException) -> Answer:
    """The answer for a read that raised; anything but an Exception still ends the process."""
    if isinstance(exc, ImportRefused):
        return "refused", str(exc)
    if isinstance(exc, MemoryError) or _out_of_memory(exc):
        return "memory", ""
    if isinstance(exc, OverCpu):
        return "cpu", ""
    if isinstance(exc, Exception):  # a reader's bug must still end as a refusal, never a crash
        return "failed", f"{type(exc).__name__}: {str(exc)[:300]}"
    raise exc
