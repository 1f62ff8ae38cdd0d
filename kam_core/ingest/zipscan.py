"""Checks inside a workbook's zip archive before any parser sees it.

The archive's own size fields can lie, so every member is inflated here with a running cap on
the bytes it really produces. XML members may not declare a DOCTYPE (entity bombs, external
entities). Worksheets are measured (extent.py): the reader allocates every cell of a sheet's
used range (rows x columns) at once, so one stray cell at XFD1048576 in a 1 KB file would
otherwise ask for hundreds of gigabytes and end the process.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number
from kam_core.ingest import parts
from kam_core.ingest.binsheet import BinaryExtent, FormulaErrorProbe, declared_range
from kam_core.ingest.errors import ImportRefused, megabytes, named
from kam_core.ingest.extent import DOCTYPE, OUT_CHUNK, Extent, column_name

# 256 KB of deflated input fills the 1 MB output step of a typical sheet (ratio 4-10): the
# scan's measures then see half as many pieces, each costing a fixed share of its time.
IN_CHUNK = 1 << 18
MAX_MEMBERS = 10_000
MAX_COLUMN = 16_384  # Excel's last column, XFD
WALKED_ALWAYS = 1 << 20  # an .xlsb sheet this small has its records walked by the scan


@dataclass
class ZipReport:
    """What the scan found: bytes really unpacked and each worksheet's used range."""

    unpacked: int = 0
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> rows, columns
    # sheet -> column index -> [cells holding a formula without a saved result, first cell]
    formulas: dict[str, dict[int, list]] = field(default_factory=dict)
    merges: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)  # Extent.merges
    hidden_columns: dict[str, list[int]] = field(default_factory=dict)  # Extent.hidden_columns
    # the sheet parts the reader misreads (a CDATA section, inline text written as a value),
    # rewritten before it reads them (archive names)
    rewrite: tuple[str, ...] = ()
    # the sheets the workbook lists whose part the archive lacks (not read, named in a note)
    missing: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def check_directory(data: bytes, file_name: str) -> None:
    """Refuse archives whose directory lists more members than a workbook ever has."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # zipfile reports a missing directory itself
    entries, size, offset = struct.unpack("<HII", data[end + 10 : end + 20])
    if not _directory_in_place(data, end, size, offset):
        raise ImportRefused(
            _(
                "{file}: the archive's directory is not where its end record says (another "
                "directory or other data is hidden in it); a saved workbook never is. Open it in "
                "Excel or LibreOffice, save it again and upload that file."
            ).format(file=named(file_name))
        )
    if (entries != 0xFFFF and entries > MAX_MEMBERS) or (size != 0xFFFFFFFF and size > 64 << 20):
        raise ImportRefused(
            _(
                "{file}: the archive lists {entries} parts; a workbook has far fewer "
                "(the limit is {limit})."
            ).format(
                file=named(file_name), entries=fmt_number(entries), limit=fmt_number(MAX_MEMBERS)
            )
        )


def _directory_in_place(data: bytes, end: int, size: int, offset: int) -> bool:
    """True when the directory ends where the end record starts and its offset says so.

    This scan (Python's zipfile) finds the directory just before the end record; the
    workbook reader takes the offset written in the record. A file where the two differ (a
    second directory hidden in a comment, bytes before the archive) shows each another
    workbook, and the reader's would go unchecked.
    """
    if size != 0xFFFFFFFF and offset != 0xFFFFFFFF:
        return offset + size == end
    locator = end - 20  # zip64: the locator stands just before the end record
    if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
        return False
    (record,) = struct.unpack("<Q", data[locator + 8 : locator + 16])
    if record + 56 > locator or data[record : record + 4] != b"PK\x06\x06":
        return False
    length, size64, offset64 = struct.unpack("<Q", data[record + 4 : record + 12]) + struct.unpack(
        "<QQ", data[record + 40 : record + 56]
    )
    return record + 12 + length == locator and offset64 + size64 == record


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


class _Prolog:
    """An XML part's prolog (declaration, comments, processing instructions) up to its first
    element, read across chunks however long: a DOCTYPE there is refused."""

    def __init__(self) -> None:
        self.done = False
        self._state = ""  # "comment" or "pi" while inside one
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the part; done once the first element starts."""
        buf, i = self._carry + chunk, 0
        self._carry = b""
        while not self.done:
            if self._state:
                close = b"-->" if self._state == "comment" else b"?>"
                end = buf.find(close, i)
                if end < 0:
                    self._carry = buf[max(i, len(buf) - len(close) + 1) :]
                    return
                i, self._state = end + len(close), ""
                continue
            lt = buf.find(b"<", i)
            if lt < 0:
                return
            if len(buf) - lt < 4:
                self._carry = buf[lt:]  # what follows decides
                return
            if buf.startswith(b"<!--", lt):
                i, self._state = lt + 4, "comment"
            elif buf.startswith(b"<?", lt):
                i, self._state = lt + 2, "pi"
            elif buf.startswith(b"<!", lt):
                raise ImportRefused(_(DOCTYPE))
            else:
                self.done = True


def _scan_member(
    data: bytes,
    member: zipfile.ZipInfo,
    file_name: str,
    budget: int,
    limit: int,
    sink: Extent | parts.SharedStrings | parts.SharedUse | parts.SharedScan | None,
    keep: list[bytes] | None = None,
    probes: dict[str, FormulaErrorProbe] | None = None,
) -> int:
    """Inflate one member within the budget; check XML declarations; feed the measuring sink.

    probes: where a part of records (an .xlsb sheet) given a sheet's sink gets a probe for
    formulas whose saved result is an error, by its normalised name.
    """
    name = member.filename
    produced = 0
    prolog: _Prolog | None = None
    try:
        for chunk in _inflate(data, member):
            if not produced and chunk:
                # A part is XML by its content, whatever its name (a sheet may be /data/q.bin);
                # other content (images, binary parts) is not measured.
                xml = parts.is_xml(name) or parts.looks_like_xml(chunk)
                if isinstance(sink, Extent) and xml == isinstance(sink, BinaryExtent):
                    # A sheet's XML is measured as XML, an .xlsb sheet's records as records;
                    # anything else (XML where records were expected too) is not measured.
                    binary = not xml and probes is not None
                    sink = (
                        probes.setdefault(parts.norm(name), FormulaErrorProbe()) if binary else None
                    )
                # A DOCTYPE may only stand in the prolog, before the first element, after
                # comments and whitespace of any length. (The reader does not expand entities;
                # this names the attack.)
                prolog = _Prolog() if xml else None
            if prolog is not None and not prolog.done:
                prolog.feed(chunk)
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
    probes: dict[str, FormulaErrorProbe] = {}  # an .xlsb's parts of records, looked into
    extents: dict[str, tuple[zipfile.ZipInfo, Extent]] = {}
    small: dict[str, bytes] = {}
    strings = parts.SharedStrings()
    shared_member: zipfile.ZipInfo | None = None
    members = archive.infolist()
    present = {parts.norm(member.filename) for member in members}
    # Relationships first: they say which part is the workbook and which the shared text,
    # whatever their names (the reader is given them under the usual ones, relocate.py).
    members.sort(key=lambda member: not parts.norm(member.filename).endswith(".rels"))
    book: str | None = None
    shared: str | None = None
    for member in members:
        _check_member(member, file_name)
        low = parts.norm(member.filename)
        if book is None and not low.endswith(".rels"):
            book = parts.book_part(small)
            shared = parts.related(small, book, "sharedstrings", present)
        is_shared = low == shared if shared else low.endswith("sharedstrings.xml")
        if low in extents or low in small or (is_shared and strings.seen):
            _refuse_twice(file_name, member.filename)
        sink: Extent | parts.SharedStrings | None = None
        if is_shared:
            sink = strings
        elif parts.measured(member.filename):
            sink = Extent(exact=False)
        kept = parts.kept(member.filename, book or parts.BOOK)
        keep: list[bytes] | None = [] if kept else None
        # A part may not unpack to more than the archive declares for it: the reader, which
        # reads beside this scan, must not be left inflating a lying part for long.
        budget = min(limit - report.unpacked, member.file_size)
        report.unpacked += _scan_member(data, member, file_name, budget, limit, sink, keep, probes)
        if isinstance(sink, Extent):
            extents[low] = (member, sink)
        if isinstance(sink, parts.SharedStrings):
            strings.seen = True
            shared_member = member
        if keep is not None:
            small[low] = b"".join(keep)
    if not strings.regular and shared_member is not None:
        # Markup the fast pass does not read (a prefix, CDATA, a comment): parse it exactly.
        strings = parts.SharedStrings(exact=True)
        _scan_member(data, shared_member, file_name, limit, limit, strings)
    parts.check_sheet_entries(small, file_name, MAX_MEMBERS)
    strings.check_claim(file_name)
    rels = parts.relationships(small)
    targets = {t for _, kind, t in rels if kind.endswith("sheet")}
    names = parts.sheet_names(small, rels)
    report.missing = tuple(name for _rid, name in parts.missing_sheets(small, present))
    for sheet in report.missing:
        report.notes.append(missing_note(sheet))
    sheets = {
        low: found
        for low, found in extents.items()
        if low in targets or low.startswith("xl/worksheets/") or found[1].root in parts.SHEET_ROOTS
    }
    for low, (member, extent) in sheets.items():
        sheet = names.get(low, member.filename)
        if extent.formulas:
            report.formulas[sheet] = extent.formulas
            report.notes.append(parts.formula_note(sheet, extent.formulas))
        if not extent.regular or extent.max_row * extent.max_col > limits.max_cells:
            # Unusual markup, or a range too large at first sight: count exactly as the
            # reader will (implicit positions, empty cells skipped) before refusing.
            extent = Extent(exact=True)
            _scan_member(data, member, file_name, limit, limit, extent)
            sheets[low] = (member, extent)
        _check_extent(report, sheet, extent, file_name, limits)
        if extent.merges:
            report.merges[sheet] = extent.merges
        if extent.cdata or extent.inline_values or extent.number_refs or extent.odd_numbers:
            report.rewrite += (member.filename,)
        hidden = extent.hidden_columns
        if hidden:
            report.hidden_columns[sheet] = sorted(hidden)
        if extent.hidden:
            # A manager filtered the sheet before saving it: the filter is a view, the rows
            # it hides are data all the same, and the user should know they were read.
            report.notes.append(
                _(
                    "Sheet '{sheet}' hides some rows or columns (a filter, or hidden by hand); "
                    "everything in it was read, hidden or not."
                ).format(sheet=named(sheet))
            )
    binary = parts.binary_sheets(small, book or parts.BOOK)
    for member in members:
        probe = probes.get(parts.norm(member.filename))
        if probe is not None and probe.found and parts.norm(member.filename) in binary:
            # The reader reads such a formula's error as an empty cell: written as text first.
            report.rewrite += (member.filename,)
    _check_declared_ranges(data, members, small, book or parts.BOOK, names, file_name, limits)
    _check_shared(data, sheets, strings, file_name, limits)
    return report


def missing_note(sheet: str) -> str:
    """The note on a sheet the workbook lists whose part the archive lacks."""
    return _(
        "Sheet '{sheet}' is listed in the workbook but its part is missing from the file; it "
        "was not read."
    ).format(sheet=named(sheet))


def _check_declared_ranges(
    data: bytes,
    members: list[zipfile.ZipInfo],
    small: dict[str, bytes],
    book: str,
    names: dict[str, str],
    file_name: str,
    limits: ImportLimits,
) -> None:
    """Refuse an .xlsb sheet whose cells reach past the bound on cells, walked where the range
    its writer declares does: a range that still fit the reader's memory was read (51 million
    cells), where an .xlsx of that shape is refused."""
    binary = parts.binary_sheets(small, book)
    limit = limits.max_unzipped_bytes
    for member in members:
        low = parts.norm(member.filename)
        if low not in binary:
            continue
        # The range is declared before the cells (Excel counts formatted blank cells in it,
        # which the reader skips): only the walk of the records decides.
        declared = declared_range(next(_inflate(data, member), b"")[:4096])
        past = declared is not None and declared[0] * declared[1] > limits.max_cells
        # A small sheet is walked whatever it declares (in milliseconds): one stray cell far
        # outside its declared range kept the reader busy for minutes at a gigabyte.
        if not past and member.file_size > WALKED_ALWAYS:
            continue
        extent = BinaryExtent()
        _scan_member(data, member, file_name, limit, limit, extent)
        _check_extent(ZipReport(), names.get(low, member.filename), extent, file_name, limits)


def check_binary_ranges(data: bytes, file_name: str, limits: ImportLimits) -> None:
    """Refuse an .xlsb (scanned already) whose sheet's cells reach past the bound on cells,
    measured from its records, in the words an .xlsx of that shape is refused in."""
    # Not part of the scan but where the declared range asks for it (_check_declared_ranges):
    # walking records in Python takes longer than the reader takes to read them (2.2 s
    # against 1.4 s for 500,000 rows), so the walk explains a read that failed instead
    # (beside.py), for a sheet whose declared range hid its far cells.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        small: dict[str, bytes] = {}
        for member in members:
            if (
                member.filename.lower().endswith(".rels")
                and member.file_size <= parts.MAX_SMALL_PART
            ):
                small[parts.norm(member.filename)] = archive.read(member)
        book = parts.book_part(small)
        binary = parts.binary_sheets(small, book)
        for member in members:
            if parts.norm(member.filename) == book and member.file_size <= parts.MAX_SMALL_PART:
                small[book] = archive.read(member)
    names = parts.sheet_names(small, parts.relationships(small))
    limit = limits.max_unzipped_bytes
    for member in members:
        low = parts.norm(member.filename)
        if low in binary:
            extent = BinaryExtent()
            _scan_member(data, member, file_name, limit, limit, extent)
            _check_extent(ZipReport(), names.get(low, member.filename), extent, file_name, limits)


def _refuse_twice(file_name: str, part: str) -> None:
    """Two parts under one name: the scan might measure one and the reader read the other."""
    raise ImportRefused(
        _(
            "{file}: the archive holds two parts named {part}; a workbook never does. Open it "
            "in Excel or LibreOffice, save it again and upload that file."
        ).format(file=named(file_name), part=named(part))
    )


def _check_extent(
    report: ZipReport, sheet: str, extent: Extent, file_name: str, limits: ImportLimits
) -> None:
    rows, cols = extent.max_row, extent.max_col
    report.extents[sheet] = (rows, cols)
    if cols > MAX_COLUMN:
        # No program writes a cell there; the reader spent minutes on a sheet reaching ZZZZ.
        raise ImportRefused(
            _(
                "{file}, sheet '{sheet}': its cells reach column {column}, past Excel's last "
                "column (XFD); no spreadsheet program writes a cell there, so the file is "
                "damaged. Open it in Excel or LibreOffice, save it again and upload that file."
            ).format(file=named(file_name), sheet=named(sheet), column=column_name(cols))
        )
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
    sheets: dict[str, tuple[zipfile.ZipInfo, Extent]],
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
