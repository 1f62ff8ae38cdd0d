"""Checks inside a workbook's zip archive before any parser sees it.

The archive's own size fields can lie, so every member is inflated here with a running cap on
the bytes it really produces. XML members may not declare a DOCTYPE (entity bombs, external
entities). Worksheets are measured: the reader allocates every cell of a sheet's used range
(rows x columns) at once, so one stray cell at XFD1048576 in a 1 KB file would otherwise
ask for hundreds of gigabytes and end the process.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from xml.parsers import expat

from kam_core.config import ImportLimits
from kam_core.i18n import N_, _, fmt_number
from kam_core.ingest import parts
from kam_core.ingest.errors import ImportRefused, megabytes, named

OUT_CHUNK = 1 << 20  # inflate in 1 MB steps: memory stays flat whatever the ratio
IN_CHUNK = 1 << 16
MAX_MEMBERS = 10_000
# Cell start tags with the position first, as Excel, LibreOffice and every common writer put
# it; any other cell tag (no position, position not first) sends the sheet to the exact count.
# Some writers put a namespace prefix on every element (<x:c r="A1">): the sheet's own prefix
# is found in its first chunk and the patterns are built for it.
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.\-]*):)?worksheet[\s>]")
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})$")
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")
_DOCTYPE = N_(
    "it declares a DOCTYPE or entities, which spreadsheets never need (an entity bomb or an "
    "external-entity attack). Refused for safety"
)


@dataclass
class ZipReport:
    """What the scan found: bytes really unpacked and each worksheet's used range."""

    unpacked: int = 0
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> rows, columns
    notes: list[str] = field(default_factory=list)


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
            _(
                "{file}: the archive lists {entries} parts; a workbook has far fewer "
                "(the limit is {limit})."
            ).format(
                file=named(file_name), entries=fmt_number(entries), limit=fmt_number(MAX_MEMBERS)
            )
        )


def _inflate(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield a member's real content in steps, whatever its header says its size is."""
    start = member.header_offset
    if len(data) < start + 30 or data[start : start + 4] != b"PK\x03\x04":
        raise ImportRefused(_("the workbook is damaged (a part's header is missing)"))
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
        raise ImportRefused(_("the workbook is damaged ({error})").format(error=exc)) from exc


class _Extent:
    """Track the largest row and column a worksheet's cells use, chunk by chunk.

    The fast pass looks for cell tags with their position first (linear patterns, no
    backtracking); the exact pass is a streaming XML parse (expat) that places cells as the
    reader does (implicit positions, value-less cells skipped). Both are linear in the input.
    """

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.regular = True
        self.max_row = 0
        self.max_col = 0
        self.shared = 0  # cells whose value is a shared string
        self.root = ""  # the local name of the part's root element
        self.row_index = 0  # the exact count follows the reader: 0-based, implicit positions
        self.col_index = 0
        self._cell: tuple[int, int] | None = None
        self._filled = False
        self._carry = b""
        self._patterns: tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]] | None
        self._patterns = None
        self._start_tag = b"<c"
        self._unusual: tuple[tuple[int, int], re.Pattern[bytes]] | None = None
        self._parser = expat.ParserCreate() if exact else None
        if self._parser is not None:
            self._parser.buffer_text = True
            self._parser.StartElementHandler = self._start
            self._parser.EndElementHandler = self._end

    def _fast_patterns(self, piece: bytes) -> tuple[re.Pattern[bytes], ...]:
        """Cell patterns for the prefix the sheet uses (found once, in its first chunk)."""
        if self._patterns is None:
            root = _ROOT_PREFIX.search(piece)
            self.root = "worksheet" if root else self.root
            prefix = root.group(1) if root and root.group(1) else b""
            self._start_tag = b"<" + prefix + b":c" if prefix else b"<c"
            tag = re.escape(self._start_tag)
            self._patterns = (
                re.compile(tag + rb' r="([A-Z]{1,3})([0-9]{1,10})"'),
                # a cell tag written any other way: no position, position not first, another
                # space or a line break before it, or a position the cell pattern does not take
                re.compile(tag + rb'(?:[>/]|[^\S ]| (?!r="[A-Z]{1,3}[0-9]{1,10}"))'),
                # a cell tag with any other prefix (or none, in a prefixed sheet)
                re.compile(rb"<(?!" + re.escape(prefix) + rb":c[\s/>])(?:[\w.\-]+:)?c[\s/>]")
                if prefix
                else re.compile(rb":c[\s/>]"),
            )
        return self._patterns

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the sheet's XML; a tag cut at the end waits for the next one."""
        if self._parser is not None:
            try:
                self._parser.Parse(chunk, final)
            except expat.ExpatError as exc:
                raise ImportRefused(
                    _(
                        "the worksheet is not well-formed XML ({error} at line {line}, "
                        "column {column})"
                    ).format(error=expat.ErrorString(exc.code), line=exc.lineno, column=exc.offset)
                ) from None
            return
        buf = self._carry + chunk
        cut = len(buf) if final else buf.rfind(b"<")
        if cut > 0:
            self._fast(buf[:cut])
        self._carry = buf[max(cut, 0) :] if cut >= 0 else b""
        if len(self._carry) > OUT_CHUNK:
            # A long text run after a tag: measure that tag and drop the text (no tag in it).
            end = self._carry.find(b">")
            if end < 0:
                raise ImportRefused(_("a worksheet holds a tag longer than 1 MB"))
            self._fast(self._carry[: end + 1])
            self._carry = b""

    def _fast(self, piece: bytes) -> None:
        cell, irregular, foreign = self._fast_patterns(piece)
        if not self.regular:
            return  # the exact pass measures this sheet again
        if foreign.search(piece):
            self.regular = False
            return
        self.shared += piece.count(b't="s"')
        # A sheet written in order has its piece's largest row in the last cell: take that
        # cell first, then look for any cell tag that is not regular, of a known column and
        # in a row up to the largest. In order there is none, and one search replaces
        # collecting every cell's position.
        last = piece.rfind(self._start_tag + b' r="')
        found = cell.match(piece, last) if last >= 0 else None
        if found is not None:
            self._take([found.groups()])
        if self._unusual_cell().search(piece) is None:
            return
        if irregular.search(piece):
            self.regular = False
            return
        self._take(cell.findall(piece))

    def _take(self, found: list[tuple[bytes, bytes]]) -> None:
        """Raise the largest row and column to those of the cells found (column, row)."""
        rows = set(map(itemgetter(1), found))  # sets first: few distinct values to convert
        cols = set(map(itemgetter(0), found))
        self.max_row = max(self.max_row, max(map(int, rows)))
        self.max_col = max(self.max_col, max(map(column_number, cols)))

    def _unusual_cell(self) -> re.Pattern[bytes]:
        """A cell tag other than a regular one within the largest row and column so far."""
        key = (self.max_row, self.max_col)
        if self._unusual is None or self._unusual[0] != key:
            column = _up_to(column_name(self.max_col), "A", "Z")
            usual = b'r="' + column + _up_to(str(self.max_row), "0", "9") + b'"'
            pattern = re.escape(self._start_tag) + rb"(?:[>/]|[^\S ]| (?!" + usual + rb"))"
            self._unusual = (key, re.compile(pattern))
        return self._unusual[1]

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit(":", 1)[-1]
        if not self.root:
            self.root = name
        if name == "row":
            number = attrs.get("r", "").strip()
            if number.isdigit():
                self.row_index = int(number) - 1
            return
        if name == "c":
            ref = _REF.match(attrs.get("r", "").strip())
            if ref:
                row, col = int(ref.group(2)) - 1, column_number(ref.group(1).encode()) - 1
                self.col_index = col
            else:
                row, col = self.row_index, self.col_index
            self.col_index += 1
            self._cell = (row, col)
            self._filled = False
            if attrs.get("t") == "s":
                self.shared += 1
            return
        if self._cell is not None and name in ("v", "is", "f"):
            self._filled = True

    def _end(self, tag: str) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name == "row":
            self.row_index += 1
            self.col_index = 0
        elif name == "c" and self._cell is not None:
            if self._filled:  # the reader skips cells without a value
                row, col = self._cell
                self.max_row = max(self.max_row, row + 1)
                self.max_col = max(self.max_col, col + 1)
            self._cell = None


def _up_to(text: str, low: str, high: str) -> bytes:
    """A pattern for the strings of low..high that count no more than text (a column, a row)."""
    # A shorter string, or one as long and lower at the first character that differs. A row
    # number written longer with leading zeros counts as above: it only costs the slow count.
    if not text:
        return b"(?!)"
    size = len(text)
    options = [f"[{low}-{high}]{{1,{size - 1}}}+"] if size > 1 else []  # possessive: linear
    for i, char in enumerate(text):
        if char != low:
            tail = f"[{low}-{high}]{{{size - i - 1}}}" if i < size - 1 else ""
            options.append(f"{text[:i]}[{low}-{chr(ord(char) - 1)}]{tail}")
    options.append(text)
    return ("(?:" + "|".join(options) + ")").encode()


def _declares(head: bytes) -> bool:
    """True when the start of an XML part holds <!DOCTYPE or <!ENTITY (comments are fine)."""
    return _DECLARATION.search(head) is not None


def _scan_member(
    data: bytes,
    member: zipfile.ZipInfo,
    file_name: str,
    budget: int,
    limit: int,
    sink: _Extent | parts.SharedStrings | parts.SharedUse | parts.SharedScan | None,
    keep: list[bytes] | None = None,
) -> int:
    """Inflate one member within the budget; check XML declarations; feed the measuring sink."""
    name = member.filename
    xml = parts.is_xml(name)
    produced = 0
    try:
        for chunk in _inflate(data, member):
            # A DOCTYPE may only stand in the prolog, before the first element: the first
            # chunk holds it. (The reader does not expand entities; this names the attack.)
            if xml and not produced and _declares(chunk):
                raise ImportRefused(_(_DOCTYPE))
            produced += len(chunk)
            if produced > budget:
                raise ImportRefused(
                    _(
                        "the workbook unpacks to more than its parts declare or than the limit "
                        "allows; the limit is {limit} unpacked. Refused: it may be a zip bomb"
                    ).format(limit=megabytes(limit))
                )
            if sink is not None:
                sink.feed(chunk)
            if keep is not None and produced <= parts.MAX_SMALL_PART:
                keep.append(chunk)
        if sink is not None:
            sink.feed(b"", final=True)
    except ImportRefused as exc:
        raise ImportRefused(
            _("{file}, part {part}: {problem}.").format(
                file=named(file_name), part=named(name), problem=exc
            )
        ) from exc
    return produced


def _check_member(member: zipfile.ZipInfo, file_name: str) -> None:
    if member.flag_bits & 0x1:
        raise ImportRefused(
            _("{file}: the archive is encrypted; it cannot be read.").format(file=named(file_name))
        )
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ImportRefused(
            _(
                "{file}: part {part} uses a compression spreadsheets do not "
                "use (method {method}); the file is not a workbook."
            ).format(
                file=named(file_name), part=named(member.filename), method=member.compress_type
            )
        )


def scan_zip(
    data: bytes, archive: zipfile.ZipFile, file_name: str, limits: ImportLimits
) -> ZipReport:
    """Inflate every member with a cap, refuse XML declarations and over-large used ranges."""
    report = ZipReport()
    limit = limits.max_unzipped_bytes
    extents: dict[str, tuple[zipfile.ZipInfo, _Extent]] = {}
    small: dict[str, bytes] = {}
    strings = parts.SharedStrings()
    for member in archive.infolist():
        _check_member(member, file_name)
        low = parts.norm(member.filename)
        sink: _Extent | parts.SharedStrings | None = None
        if low.endswith("sharedstrings.xml"):
            sink = strings
        elif parts.measured(member.filename):
            sink = _Extent(exact=False)
        keep: list[bytes] | None = [] if parts.kept(member.filename) else None
        # A part may not unpack to more than the archive declares for it: the reader, which
        # reads beside this scan, must not be left inflating a lying part for long.
        budget = min(limit - report.unpacked, member.file_size)
        report.unpacked += _scan_member(data, member, file_name, budget, limit, sink, keep)
        if isinstance(sink, _Extent):
            extents[low] = (member, sink)
        if keep is not None:
            small[member.filename] = b"".join(keep)
    rels = parts.relationships(small)
    targets = {t for _, kind, t in rels if kind.endswith("sheet")}
    names = parts.sheet_names(small, rels)
    sheets = {
        low: found
        for low, found in extents.items()
        if low in targets or low.startswith("xl/worksheets/") or found[1].root in parts.SHEET_ROOTS
    }
    for low, (member, extent) in sheets.items():
        if not extent.regular or extent.max_row * extent.max_col > limits.max_cells:
            # Unusual markup, or a range too large at first sight: count exactly as the
            # reader will (implicit positions, empty cells skipped) before refusing.
            extent = _Extent(exact=True)
            _scan_member(data, member, file_name, limit, limit, extent)
            sheets[low] = (member, extent)
        _check_extent(report, names.get(low, member.filename), extent, file_name, limits)
    _check_shared(data, sheets, strings, file_name, limits)
    return report


def _check_extent(
    report: ZipReport, sheet: str, extent: _Extent, file_name: str, limits: ImportLimits
) -> None:
    rows, cols = extent.max_row, extent.max_col
    report.extents[sheet] = (rows, cols)
    if rows * cols > limits.max_cells:
        raise ImportRefused(
            _(
                "{file}, sheet '{sheet}': its cells reach {cell}, a range of {rows} rows x "
                "{columns} columns = {cells} cells; the limit is {limit} cells per sheet. Delete "
                "the stray cells far below or to the right of the data (or copy the data to a new "
                "sheet) and save again."
            ).format(
                file=named(file_name),
                sheet=named(sheet),
                cell=f"{column_name(cols)}{rows}",
                rows=fmt_number(rows),
                columns=fmt_number(cols),
                cells=fmt_number(rows * cols),
                limit=fmt_number(limits.max_cells),
            )
        )
    if cols > limits.max_columns:
        report.notes.append(
            _(
                "Sheet '{sheet}' is {columns} columns wide; only the first {limit} columns are "
                "read (the limit)."
            ).format(
                sheet=named(sheet), columns=fmt_number(cols), limit=fmt_number(limits.max_columns)
            )
        )


def _check_shared(
    data: bytes,
    sheets: dict[str, tuple[zipfile.ZipInfo, _Extent]],
    strings: parts.SharedStrings,
    file_name: str,
    limits: ImportLimits,
) -> None:
    """Refuse shared text multiplied past the bound by the cells that repeat it."""
    cells = sum(extent.shared for _, extent in sheets.values())
    if cells * strings.longest <= limits.max_text_chars:
        return  # even if every such cell held the longest string
    total = 0
    limit = limits.max_unzipped_bytes
    for member, extent in sheets.values():
        fast = parts.SharedScan(strings.lengths)
        _scan_member(data, member, file_name, limit, limit, fast)
        if fast.cells >= extent.shared:
            total += fast.chars
            continue
        use = parts.SharedUse(strings.lengths)  # unusual markup: parse the XML
        _scan_member(data, member, file_name, limit, limit, use)
        total += use.chars
    if total > limits.max_text_chars:
        raise ImportRefused(
            _(
                "{file}: its cells repeat shared text {total} characters long in all; the limit "
                "is {limit}. A few long texts are copied into very many cells (the file may be "
                "built to exhaust memory). Clear those cells and save again."
            ).format(
                file=named(file_name),
                total=fmt_number(total),
                limit=fmt_number(limits.max_text_chars),
            )
        )
