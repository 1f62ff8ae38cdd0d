"""Checks inside a workbook's zip archive before any parser sees it.

The archive's own size fields can lie, so every member is inflated here with a running cap on
the bytes it really produces. XML members may not declare a DOCTYPE (entity bombs, external
entities). Worksheets are measured: the reader allocates every cell of a sheet's used range
(rows x columns) at once, so one stray cell at XFD1048576 in a 1 KB file would otherwise
ask for hundreds of gigabytes and end the process.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from defusedxml import ElementTree

from kam_core.config import ImportLimits
from kam_core.ingest.errors import ImportRefused

OUT_CHUNK = 1 << 20  # inflate in 1 MB steps: memory stays flat whatever the ratio
IN_CHUNK = 1 << 16
MAX_MEMBERS = 10_000
# Cell start tags with the position first, as Excel, LibreOffice and every common writer put
# it; any other cell tag (no position, position not first) sends the sheet to the exact count.
# Some writers put a namespace prefix on every element (<x:c r="A1">): the sheet's own prefix
# is found in its first chunk and the patterns are built for it.
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.\-]*):)?worksheet[\s>]")
_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
)
_POSITION = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([A-Za-z]*)([0-9]*)[\"']")
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")
_DOCTYPE = (
    "it declares a DOCTYPE or entities, which spreadsheets never need (an entity bomb or an "
    "external-entity attack). Refused for safety"
)
_ANY_TAG = re.compile(rb"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


@dataclass
class ZipReport:
    """What the scan found: bytes really unpacked and each worksheet's used range."""

    unpacked: int = 0
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> rows, columns
    notes: list[str] = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def column_number(letters: bytes) -> int:
    """Return the 1-based column number of Excel letters (b'A' -> 1, b'XFD' -> 16384)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ch - 64)
    return number


def column_name(number: int) -> str:
    """Return Excel's letters for a 1-based column number."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_directory(data: bytes, file_name: str) -> None:
    """Refuse archives whose directory lists more members than a workbook ever has."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # zipfile reports a missing directory itself
    entries, size = struct.unpack("<HI", data[end + 10 : end + 16])
    if (entries != 0xFFFF and entries > MAX_MEMBERS) or (size != 0xFFFFFFFF and size > 64 << 20):
        raise ImportRefused(
            f"{file_name}: the archive lists {entries:,} parts; a workbook has far fewer "
            f"(the limit is {MAX_MEMBERS:,})."
        )


def _inflate(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield a member's real content in steps, whatever its header says its size is."""
    start = member.header_offset
    if len(data) < start + 30 or data[start : start + 4] != b"PK\x03\x04":
        raise ImportRefused("the workbook is damaged (a part's header is missing)")
    name_len, extra_len = struct.unpack("<HH", data[start + 26 : start + 30])
    begin = start + 30 + name_len + extra_len
    raw = memoryview(data)[begin : begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), OUT_CHUNK):
            yield bytes(raw[i : i + OUT_CHUNK])
        return
    inflater = zlib.decompressobj(-15)
    try:
        for i in range(0, len(raw), IN_CHUNK):
            piece = bytes(raw[i : i + IN_CHUNK])
            while piece and not inflater.eof:
                out = inflater.decompress(piece, OUT_CHUNK)
                if out:
                    yield out
                piece = inflater.unconsumed_tail
            if inflater.eof:
                break
        rest = inflater.flush()
        if rest:
            yield rest
    except zlib.error as exc:
        raise ImportRefused(f"the workbook is damaged ({exc})") from exc


class _Extent:
    """Track the largest row and column a worksheet's cells use, chunk by chunk."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.regular = True
        self.max_row = 0
        self.max_col = 0
        self.row_index = 0  # the exact count follows the reader: 0-based, implicit positions
        self.col_index = 0
        self._carry = b""
        self._patterns: tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]] | None
        self._patterns = None

    def _fast_patterns(self, piece: bytes) -> tuple[re.Pattern[bytes], ...]:
        """Cell patterns for the prefix the sheet uses (found once, in its first chunk)."""
        if self._patterns is None:
            root = _ROOT_PREFIX.search(piece)
            prefix = root.group(1) if root and root.group(1) else b""
            tag = re.escape(b"<" + prefix + b":c" if prefix else b"<c")
            self._patterns = (
                re.compile(tag + rb' r="([A-Z]{1,3})([0-9]{1,10})"'),
                re.compile(tag + rb'(?:[>/]|\s(?!r="[A-Z]{1,3}[0-9]))'),
                # a cell tag with any other prefix (or none, in a prefixed sheet)
                re.compile(rb"<(?!" + re.escape(prefix) + rb":c[\s/>])(?:[\w.\-]+:)?c[\s/>]")
                if prefix
                else re.compile(rb":c[\s/>]"),
            )
        return self._patterns

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the sheet's XML; a tag cut at the end waits for the next one."""
        buf = self._carry + chunk
        cut = len(buf) if final else buf.rfind(b"<")
        if cut > 0:
            self._measure(buf[:cut])
        self._carry = buf[max(cut, 0) :] if cut >= 0 else b""
        if len(self._carry) > OUT_CHUNK:
            # A long text run after a tag: measure that tag and drop the text (no tag in it).
            tag = _ANY_TAG.match(self._carry)
            if tag is None:
                raise ImportRefused("a worksheet holds a tag longer than 1 MB")
            self._measure(self._carry[: tag.end()])
            self._carry = b""

    def _measure(self, piece: bytes) -> None:
        if self.exact:
            self._exact(piece)
        else:
            self._fast(piece)

    def _fast(self, piece: bytes) -> None:
        cell, irregular, foreign = self._fast_patterns(piece)
        if irregular.search(piece) or foreign.search(piece):
            self.regular = False
        found = cell.findall(piece)
        if found:
            rows = set(map(itemgetter(1), found))  # sets first: few distinct values to convert
            cols = set(map(itemgetter(0), found))
            self.max_row = max(self.max_row, max(map(int, rows)))
            self.max_col = max(self.max_col, max(map(column_number, cols)))

    def _exact(self, piece: bytes) -> None:
        for closing, name, attrs in _TAG.findall(piece):
            if closing:
                if name == b"row":
                    self.row_index += 1
                    self.col_index = 0
                continue
            if attrs.rstrip().endswith(b"/"):
                continue  # an empty element: no value, and the reader skips it
            position = _POSITION.search(attrs)
            if name == b"row":
                if position and position.group(2):
                    self.row_index = int(position.group(2)) - 1
                continue
            if position and position.group(1) and position.group(2):
                row, col = int(position.group(2)) - 1, column_number(position.group(1)) - 1
                self.col_index = col
            else:
                row, col = self.row_index, self.col_index
            self.col_index += 1
            self.max_row = max(self.max_row, row + 1)
            self.max_col = max(self.max_col, col + 1)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml")) or name == "[Content_Types].xml"


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _declares(head: bytes) -> bool:
    """True when the start of an XML part holds <!DOCTYPE or <!ENTITY (comments are fine)."""
    return _DECLARATION.search(head) is not None


def _scan_member(
    data: bytes, member: zipfile.ZipInfo, file_name: str, budget: int, limit: int, exact: bool
) -> tuple[int, _Extent | None]:
    """Inflate one member within the budget; check XML declarations; measure worksheets."""
    name = member.filename
    xml, sheet = _is_xml(name), _is_sheet(name)
    extent = _Extent(exact) if sheet else None
    produced = 0
    try:
        for chunk in _inflate(data, member):
            # A DOCTYPE may only stand in the prolog, before the first element: the first
            # chunk holds it. (The reader does not expand entities; this names the attack.)
            if xml and not produced and _declares(chunk):
                raise ImportRefused(_DOCTYPE)
            produced += len(chunk)
            if produced > budget:
                raise ImportRefused(
                    f"the workbook unpacks to more than its parts declare or than the limit "
                    f"allows; the limit is {_mb(limit)} unpacked. Refused: it may be a zip bomb"
                )
            if extent is not None:
                extent.feed(chunk)
        if extent is not None:
            extent.feed(b"", final=True)
    except ImportRefused as exc:
        raise ImportRefused(f"{file_name}, part {name}: {exc}.") from exc
    return produced, extent


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map worksheet parts to the names the workbook gives them (best effort)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # the reader will explain a broken workbook; names are only for messages
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(path)
    names = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                names[targets[rid]] = sheet.get("name", targets[rid])
    return names


def scan_zip(
    data: bytes, archive: zipfile.ZipFile, file_name: str, limits: ImportLimits
) -> ZipReport:
    """Inflate every member with a cap, refuse XML declarations and over-large used ranges."""
    report = ZipReport()
    measured: dict[str, _Extent] = {}
    for member in archive.infolist():
        if member.flag_bits & 0x1:
            raise ImportRefused(f"{file_name}: the archive is encrypted; it cannot be read.")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportRefused(
                f"{file_name}: part {member.filename} uses a compression spreadsheets do not "
                f"use (method {member.compress_type}); the file is not a workbook."
            )
        budget = limits.max_unzipped_bytes - report.unpacked
        limit = limits.max_unzipped_bytes
        produced, extent = _scan_member(data, member, file_name, budget, limit, exact=False)
        report.unpacked += produced
        if extent is None:
            continue
        if not extent.regular or extent.max_row * extent.max_col > limits.max_cells:
            # Unusual markup, or a range too large at first sight: count exactly as the
            # reader will (implicit positions, empty cells skipped) before refusing.
            _, extent = _scan_member(data, member, file_name, limit, limit, exact=True)
        measured[member.filename] = extent
    names = _sheet_names(archive) if measured else {}
    for part, extent in measured.items():
        sheet = names.get(part, part)
        rows, cols = extent.max_row, extent.max_col
        report.extents[sheet] = (rows, cols)
        if rows * cols > limits.max_cells:
            raise ImportRefused(
                f"{file_name}, sheet '{sheet}': its cells reach {column_name(cols)}{rows}, a "
                f"range of {rows:,} rows x {cols:,} columns = {rows * cols:,} cells; the limit "
                f"is {limits.max_cells:,} cells per sheet. Delete the stray cells far below or "
                "to the right of the data (or copy the data to a new sheet) and save again."
            )
        if cols > limits.max_columns:
            report.notes.append(
                f"Sheet '{sheet}' is {cols:,} columns wide; only the first "
                f"{limits.max_columns:,} columns are read (the limit)."
            )
    return report
