"""Which parts of a workbook archive the reader will treat as sheets, and shared-string sizes.

The reader follows the workbook's relationships, so a sheet can sit anywhere in the archive
(xl/sheet1.xml, /data/s.xml), under a name written with backslashes or in another case. Every
part a relationship points to is measured, whatever its path or spelling.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from array import array
from xml.parsers import expat

import numpy as np
from defusedxml import ElementTree

from kam_core.i18n import _, fmt_number
from kam_core.ingest.binsheet import xlsb_sheet_entries
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.extent import xml_parser

SHEET_ROOTS = ("worksheet", "dialogsheet", "macrosheet")
MAX_SMALL_PART = 16 << 20  # relationships and the workbook part are kept for a second look
ROOT_RELS = "_rels/.rels"
BOOK = "xl/workbook.xml"  # where the reader looks for the workbook part, whatever the package says


def norm(name: str) -> str:
    """A part name as the reader may resolve it: forward slashes, no leading slash, any case."""
    return posixpath.normpath(name.replace("\\", "/").lstrip("/")).lower()


def is_xml(name: str) -> bool:
    """True for the parts that hold XML (checked for declarations)."""
    low = name.lower()
    return low.endswith((".xml", ".rels", ".vml")) or low == "[content_types].xml"


def measured(name: str) -> bool:
    """Parts that may hold cells: all but relationships and the content-type list.

    Whatever its extension (a relationship may point a sheet at /data/q.bin): the scan judges
    a part by its content, and measures only those whose content is XML.
    """
    low = norm(name)
    return not low.endswith(".rels") and low != "[content_types].xml"


def formula_note(sheet: str, formulas: dict[int, list]) -> str:
    """The note for a sheet whose cells hold formulas without saved results, by column."""
    columns = sorted(formulas)
    shown = ", ".join(
        _("{column} ({cells} cells, first {cell})").format(
            column=formulas[c][1].rstrip("0123456789"),
            cells=fmt_number(formulas[c][0]),
            cell=formulas[c][1],
        )
        for c in columns[:10]
    )
    return _(
        "Sheet '{sheet}': the cells in column(s) {columns} hold formulas without saved results "
        "(the file was written by a program, not saved by Excel), so they read as empty. Open "
        "it in Excel or LibreOffice and save it, then upload it again."
    ).format(sheet=named(sheet), columns=shown)


def small_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A small part's bytes (relationships, the workbook), or None when it is larger than one
    can be; read no further than that."""
    with archive.open(name) as part:
        body = part.read(MAX_SMALL_PART + 1)
    return body if len(body) <= MAX_SMALL_PART else None


def looks_like_xml(head: bytes) -> bool:
    """True when a part's first bytes are XML (a byte-order mark and blanks may come first)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def book_part(small: dict[str, bytes]) -> str:
    """The workbook part the package's relationships name (normalised), else the usual one."""
    for _rid, kind, target in _targets(ROOT_RELS, small.get(ROOT_RELS, b"<x/>")):
        if kind == "officedocument":
            return target
    return BOOK


def rels_of(part: str) -> str:
    """The name of the relationships part describing part (both normalised)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def related(small: dict[str, bytes], book: str, kind: str, present: set[str]) -> str | None:
    """The part of the archive the workbook's relationship of kind (lower case) points at."""
    rels = rels_of(book)
    for _rid, found, target in _targets(rels, small.get(rels, b"<x/>")):
        if found == kind and target in present:
            return target
    return None


def sheet_refs(small: dict[str, bytes]) -> dict[str, int]:
    """How many of the workbook's sheet entries point at each part (best effort)."""
    name = book_part(small)
    book = small.get(name)
    if book is None:
        return {}
    try:
        root = ElementTree.fromstring(book)
    except Exception:  # a workbook part too large to keep, or broken: the reader says so
        return {}
    by_id: dict[str, list[str]] = {}
    # Only the workbook's own relationships: ids such as rId1 repeat in every .rels part.
    rels = rels_of(name)
    for rid, _kind, target in _targets(rels, small.get(rels, b"<x/>")):
        by_id.setdefault(rid, []).append(target)  # the target as resolved first
    counts: dict[str, int] = {}
    for sheet in root.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            for target in dict.fromkeys(by_id.get(rid or "", ())):  # each spelling once
                counts[target] = counts.get(target, 0) + 1
    return counts


def binary_sheets(small: dict[str, bytes], book: str) -> set[str]:
    """An .xlsb's sheet parts (normalised): its workbook's sheet relationships' targets."""
    if not book.endswith(".bin"):
        return set()
    rels = rels_of(book)
    return {t for _rid, kind, t in _targets(rels, small.get(rels, b"<x/>")) if kind == "worksheet"}


def xlsb_sheet_parts(archive: zipfile.ZipFile) -> set[str]:
    """An .xlsb's sheet parts (normalised), found through its relationships."""
    small = {
        norm(m.filename): archive.read(m)
        for m in archive.infolist()
        if m.filename.lower().endswith(".rels") and m.file_size <= MAX_SMALL_PART
    }
    return binary_sheets(small, book_part(small))


def kept(name: str, book: str = BOOK) -> bool:
    """Parts kept in memory for the relationship and sheet-name lookup (book: normalised)."""
    low = norm(name)
    return low.endswith(".rels") or low == book


def _targets(rels_name: str, content: bytes) -> list[tuple[str, str, str]]:
    """(Id, type, resolved target) of each relationship in one .rels part."""
    try:
        root = ElementTree.fromstring(content)
    except Exception:  # a broken relationships part: the reader will say so
        return []
    # xl/_rels/workbook.xml.rels describes xl/workbook.xml: targets are relative to xl/.
    folder = posixpath.dirname(posixpath.dirname(norm(rels_name)))
    out = []
    for rel in root:
        if (rel.get("TargetMode", "") or "").lower() == "external":
            continue  # outside the package: nothing of the archive is read for it
        target = rel.get("Target", "") or ""
        kind = (rel.get("Type", "") or "").rsplit("/", 1)[-1].lower()
        for candidate in (posixpath.join(folder, target.replace("\\", "/")), target):
            out.append((rel.get("Id", "") or "", kind, norm(candidate)))
    return out


def relationships(small: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """Every relationship of every .rels part kept during the scan."""
    out = []
    for name, content in small.items():
        if norm(name).endswith(".rels"):
            out.extend(_targets(name, content))
    return out


def sheet_names(small: dict[str, bytes], rels: list[tuple[str, str, str]]) -> dict[str, str]:
    """Map normalised sheet part names to the names the workbook gives them (best effort)."""
    book = small.get(book_part(small))
    if book is None:
        return {}
    by_id: dict[str, list[str]] = {}
    for rid, _kind, target in rels:
        by_id.setdefault(rid, []).append(target)
    if book_part(small).endswith(".bin"):  # an .xlsb's workbook part: records, not XML
        return {t: name for rid, name in xlsb_sheet_entries(book) for t in by_id.get(rid, [])}
    try:
        root = ElementTree.fromstring(book)
    except Exception:  # names are only for messages
        return {}
    names = {}
    for sheet in root.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            for target in by_id.get(rid or "", []):
                names[target] = sheet.get("name", target)
    return names


def sheet_entries(small: dict[str, bytes]) -> list[tuple[str, str]]:
    """The workbook's sheet entries in order: (relationship id, sheet name) (best effort)."""
    name = book_part(small)
    book = small.get(name)
    if book is None:
        return []
    if name.endswith(".bin"):  # an .xlsb's workbook part: records, not XML
        return xlsb_sheet_entries(book)
    try:
        root = ElementTree.fromstring(book)
    except Exception:  # a workbook part too large to keep, or broken: the reader says so
        return []
    entries = []
    for sheet in root.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
            entries.append((rid, sheet.get("name", "")))
    return entries


def missing_sheets(small: dict[str, bytes], present: set[str]) -> list[tuple[str, str]]:
    """The sheet entries (relationship id, name) whose part is not in the archive: no
    relationship of the workbook has their id, or it points outside it or at no part."""
    rels = rels_of(book_part(small))
    if rels not in small:
        return []  # no relationships at all: the reader says what is wrong with the file
    # Only the workbook's own relationships: ids such as rId1 repeat in every .rels part.
    found: dict[str, bool] = {}
    for rid, _kind, target in _targets(rels, small.get(rels, b"<x/>")):
        found[rid] = found.get(rid, False) or target in present
    return [(rid, name) for rid, name in sheet_entries(small) if not found.get(rid, False)]


def archive_missing_sheets(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], int, str]:
    """The sheet entries whose part the archive lacks (missing_sheets), how many sheet
    entries the workbook lists, and the workbook part (normalised)."""
    members = archive.infolist()
    present = {norm(m.filename) for m in members}
    small = {
        norm(m.filename): archive.read(m)
        for m in members
        if m.filename.lower().endswith(".rels") and m.file_size <= MAX_SMALL_PART
    }
    book = book_part(small)
    for member in members:
        if norm(member.filename) == book and member.file_size <= MAX_SMALL_PART:
            small[book] = archive.read(member)
    return missing_sheets(small, present), len(sheet_entries(small)), book


_SHEET_ENTRY = re.compile(rb"<(?:[\w.\-]+:)?sheet[\s/>]")


def check_sheet_entries(small: dict[str, bytes], file: str, limit: int) -> None:
    """Refuse sheets that share a part (read once per sheet) or more sheets than parts."""
    entries = len(_SHEET_ENTRY.findall(small.get(book_part(small), b"")))
    if entries > limit:
        raise ImportRefused(
            _("{file}: the workbook lists {sheets} sheets; the limit is {limit}.").format(
                file=named(file), sheets=fmt_number(entries), limit=fmt_number(limit)
            )
        )
    for target, count in sheet_refs(small).items():
        if count > 1:
            raise ImportRefused(
                _(
                    "{file}: {count} sheets of the workbook point at the same part {part}; a "
                    "workbook never does. Open it in Excel or LibreOffice, save it again and "
                    "upload that file."
                ).format(file=named(file), count=fmt_number(count), part=named(target))
            )


_SST_ROOT = re.compile(rb"<sst[\s>]")
_UNIQUE = re.compile(rb"""<sst\s[^<>]*?\buniqueCount\s*=\s*["']\s*([0-9]{1,20})\s*["']""")
_PREFIXED_TAG = re.compile(rb"</?[\w.\-]+:")
MAX_CARRY = 16 << 20  # one shared string as long as this goes to the exact parse


class SharedStrings:
    """Lengths of the shared strings, read while the part is inflated (streaming, linear).

    The fast pass counts, for strings written as Excel writes them (<si> elements without a
    prefix, comment or CDATA), each string's characters outside tags (entities count as
    written, an upper bound); other markup sends the part to the exact parse (expat), whose
    callbacks cost about 5 microseconds a string: 30 million tiny strings took minutes.
    """

    def __init__(self, exact: bool = False) -> None:
        self.lengths = array("q")
        self.seen = False  # a shared-strings part was read (a second one is refused)
        self.claimed = 0  # the count the part announces (the reader reserves room for it)
        self.exact = exact
        self.regular = True  # the fast pass could read the part
        self._current = -1
        self._carry = b""
        self._root = False
        self._parser = xml_parser()
        self._parser.buffer_text = True
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the part."""
        if not self.exact:
            self._fast(chunk, final)
            return
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise ImportRefused(
                _("the shared strings are not well-formed XML ({error})").format(
                    error=expat.ErrorString(exc.code)
                )
            ) from None

    def _fast(self, chunk: bytes, final: bool) -> None:
        if not self.regular:
            return  # the exact parse reads the part again
        buf = self._carry + chunk
        if not self._root:
            # The root's start tag whole (its uniqueCount), then the strings after it.
            found = _SST_ROOT.search(buf)
            end = buf.find(b">", found.start()) if found else -1
            if end < 0:
                self._carry = buf
                self.regular = len(buf) <= MAX_CARRY and not final
                return
            claim = _UNIQUE.match(buf[: end + 1], found.start())
            self.claimed = int(claim.group(1)) if claim else 0
            self._root = True
            buf = buf[end + 1 :]
        cut = len(buf) if final else buf.rfind(b"</si>")
        if cut < 0:
            self._carry = buf
            self.regular = len(buf) <= MAX_CARRY
            return
        cut = cut if final else cut + 5
        piece, self._carry = buf[:cut], buf[cut:]
        # A colon other than xml:space's may open a prefixed tag (the pattern costs 20 ms a
        # megabyte: it runs only then).
        colons = piece.count(b":") > piece.count(b"xml:space")
        if b"<!" in piece or (colons and _PREFIXED_TAG.search(piece)):
            self.regular = False  # comments, CDATA, a DOCTYPE, prefixed tags: the exact parse
            return
        self._measure(piece)

    def _measure(self, piece: bytes) -> None:
        """Append the lengths of the strings in piece (whole <si> elements after its start)."""
        data = np.frombuffer(piece, dtype=np.uint8)
        if len(data) < 4:
            return
        starts = np.flatnonzero(
            (data[:-3] == 60) & (data[1:-2] == 115) & (data[2:-1] == 105) & (data[3:] == 62)
        )
        if piece.count(b"<si") != len(starts):
            self.regular = False  # <si> with attributes or empty: the exact parse
            return
        if not len(starts):
            return
        # A byte is markup when it is a '<' or the last '<' or '>' before it is a '<': a tag
        # runs from its '<' to the first '>' after it. A '>' is legal in text and counts there
        # (a '>' inside a quoted attribute ends the tag early: its rest counts as text, too
        # much, never too little). UTF-8 continuation bytes are left out: a character counts
        # once. The piece starts outside any tag and holds whole elements.
        lt = data == 60
        marks = np.where(lt | (data == 62), np.arange(len(data)), -1)
        before = np.maximum.accumulate(np.concatenate(([-1], marks[:-1])))
        in_tag = (before >= 0) & lt[np.maximum(before, 0)]
        text = ~lt & ~in_tag & ((data & 0xC0) != 0x80)
        lengths = np.add.reduceat(text.view(np.uint8), starts, dtype=np.int64)
        self.lengths.frombytes(lengths.tobytes())

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local == "si":
            self._current = 0
        elif local == "sst" and attrs.get("uniqueCount", "").strip().isdigit():
            self.claimed = int(attrs["uniqueCount"])

    def check_claim(self, file: str) -> None:
        """Refuse a part announcing far more strings than it holds (2e9: 48 GB reserved)."""
        held = len(self.lengths)
        if self.claimed > 2 * held + 1_000_000:
            raise ImportRefused(
                _(
                    "{file}: its shared strings announce {claimed} texts but hold {held}; the "
                    "file is damaged or built to exhaust memory. Open it in Excel or "
                    "LibreOffice, save it again and upload that file."
                ).format(file=named(file), claimed=fmt_number(self.claimed), held=fmt_number(held))
            )

    def _end(self, tag: str) -> None:
        if tag.rsplit(":", 1)[-1] == "si" and self._current >= 0:
            self.lengths.append(self._current)
            self._current = -1

    def _text(self, text: str) -> None:
        if self._current >= 0:
            self._current += len(text)

    @property
    def longest(self) -> int:
        """The longest shared string, in characters."""
        return max(self.lengths, default=0)


class SharedUse:
    """Sum the lengths of the shared strings a sheet's cells refer to (streaming, linear)."""

    def __init__(self, lengths: array) -> None:
        self.lengths = lengths
        self.chars = 0
        self._shared = False
        self._value: list[str] | None = None
        self._parser = xml_parser()
        self._parser.buffer_text = True
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the sheet."""
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise ImportRefused(
                _("the worksheet is not well-formed XML ({error})").format(
                    error=expat.ErrorString(exc.code)
                )
            ) from None

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name == "c":
            self._shared = attrs.get("t") == "s"
        elif name == "v" and self._shared:
            self._value = []

    def _end(self, tag: str) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name == "v" and self._value is not None:
            text = "".join(self._value).strip()
            if text.isdigit() and int(text) < len(self.lengths):
                self.chars += self.lengths[int(text)]
            self._value = None
        elif name == "c":
            self._shared = False

    def _text(self, text: str) -> None:
        if self._value is not None and len(self._value) < 64:
            self._value.append(text)


_SHARED_CELL = re.compile(rb't="s"[^>]*>\s*<(?:[\w.\-]+:)?v>\s*([0-9]{1,10})\s*<')


class SharedScan:
    """The fast count of SharedUse: cells written as Excel writes them, found by a linear
    pattern; `cells` tells how many were found, to compare with the cells the scan counted."""

    def __init__(self, lengths: array) -> None:
        self.lengths = np.frombuffer(lengths, dtype=np.int64) if len(lengths) else np.zeros(1)
        self.chars = 0
        self.cells = 0
        self._carry = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the sheet; a cell cut at the end waits for the next one."""
        buf = self._carry + chunk
        cut = len(buf) if final else buf.rfind(b"</")
        if cut < 0 and len(buf) > 16 << 20:
            cut = len(buf)
        piece, self._carry = (buf[:cut], buf[cut:]) if cut >= 0 else (b"", buf)
        found = _SHARED_CELL.findall(piece)
        if found:
            index = np.array(found, dtype=np.int64)
            index = index[index < len(self.lengths)]
            self.chars += int(self.lengths[index].sum())
            self.cells += len(found)
