"""Numbers a workbook shows with leading zeros ('000123' from 123 and the format 000000).

ERP workbooks store client and order codes as numbers formatted to a fixed width; the reader
gives the number (123), so the same client arrived as 000123 from the CSV export of the same
system and as 123 from the workbook: two clients, and the quarter imported twice. Such cells
are given the text Excel shows. Only workbooks whose styles hold such a format are looked at.
An .xlsx's cells are found here; an .xls's (biff.py) and an .ods's (opendocument.py) are found
by their own formats' walks, which fill the same FormatFacts with a CodeColumns each.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from xml.etree.ElementTree import ParseError

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from kam_core.ingest import parts
from kam_core.ingest.grid import SheetGrid

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Zeros only, with a quoted prefix or suffix: 000000, "C"00000, "INV-"0000.
_PADDED = re.compile(r'^(?:"([^"]*)")?(0{2,})(?:"([^"]*)")?$')
# Characters that make a padded number read as another number: digits, signs, brackets.
_CHANGES_NUMBER = re.compile(r"[0-9\-+()−%]")
_CHUNK = 1 << 20
SAMPLE = 1_000  # formatted cells looked at to find the code columns
_NAMED_STYLES = 1_000  # styles a pattern names one by one
Shown = tuple[str, int, str]  # how a code is shown: prefix, width, suffix
T = TypeVar("T")


def padded_format(code: str) -> Shown | None:
    """How a number format shows whole numbers padded with zeros, or None for another."""
    found = _PADDED.match(code)
    if found is None:
        return None
    prefix, zeros, suffix = found.groups()
    if not code_affixes(prefix or "", suffix or ""):
        return None
    return prefix or "", len(zeros), suffix or ""


def code_affixes(prefix: str, suffix: str) -> bool:
    """True when a padded format's text around the digits cannot make another number."""
    # 0000"-" shows 5 as 0005- and 00" 000" as 05 000: padded, an amount under such a format
    # was read as -5 or 5,000. A code has letters around its digits, if anything.
    affix = prefix + suffix
    return not _CHANGES_NUMBER.search(affix) or any(ch.isalpha() for ch in affix)


class CodeColumns:
    """The code columns met in a sheet's number cells of padded formats, SAMPLE at most: a
    code column is formatted throughout, so from its first such cell on, every whole number
    in it is shown padded."""

    def __init__(self) -> None:
        """Start with no cell met."""
        self.cells = 0
        self._seen: dict[str, tuple[int, Counter[Shown]]] = {}

    @property
    def full(self) -> bool:
        """True when enough cells were met."""
        return self.cells >= SAMPLE

    def add(self, letter: str, row: int, shown: Shown) -> None:
        """A cell of column letter, row (from 0), shown so."""
        first, kinds = self._seen.get(letter, (row, Counter()))
        kinds[shown] += 1
        self._seen[letter] = (min(first, row), kinds)
        self.cells += 1

    def columns(self) -> dict[str, tuple[int, str, int, str]]:
        """Column letter -> (first row from 0, prefix, width, suffix), as pad_columns takes."""
        return {
            letter: (first, *kinds.most_common(1)[0][0])
            for letter, (first, kinds) in self._seen.items()
        }


@dataclass
class FormatFacts:
    """What a workbook's format tells beside its cells' values, per sheet name: merges one
    column wide over rows (column, top, bottom from 0), and the code columns
    (CodeColumns.columns)."""

    merges: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    padded: dict[str, dict[str, tuple[int, str, int, str]]] = field(default_factory=dict)


def with_leading_zeros(data: bytes, grids: list[SheetGrid]) -> list[SheetGrid]:
    """The grids with each number shown with leading zeros written as Excel shows it."""
    return each_sheet(data, grids, _padded_styles, _pad)


def each_sheet(
    data: bytes,
    grids: list[SheetGrid],
    styles_of: Callable[[zipfile.ZipFile], dict[int, T]],
    apply: Callable[[zipfile.ZipFile, str, SheetGrid, dict[int, T]], None],
) -> list[SheetGrid]:
    """The grids, apply()'d sheet by sheet with the styles styles_of finds, if it finds any."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles = styles_of(archive)
            if not styles:
                return grids
            by_name = {grid.name: grid for grid in grids}
            for name, member in sheet_members(archive).items():
                grid = by_name.get(name)
                if grid is not None:
                    apply(archive, member, grid, styles)
    except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException, ValueError, OSError):
        pass  # the cells stay as the reader read them
    return grids


def _padded_styles(archive: zipfile.ZipFile) -> dict[int, Shown]:
    """Cell style index -> (prefix, width, suffix) of the styles showing padded numbers."""
    return format_styles(archive, padded_format)


def format_styles(
    archive: zipfile.ZipFile,
    judge: Callable[[str], T | None],
    builtin: dict[str, str] | None = None,
) -> dict[int, T]:
    """Cell style index -> what judge makes of its number format's code, where not None.

    builtin: the codes of built-in formats (by id) judged too; the workbook's own win.
    """
    name = next((n for n in archive.namelist() if n.lower() == "xl/styles.xml"), None)
    if name is None:
        return {}
    root = fromstring(archive.read(name))
    formats = {}
    for number, code in (builtin or {}).items():
        shown = judge(code)
        if shown is not None:
            formats[number] = shown
    for fmt in root.iter(f"{_NS}numFmt"):
        shown = judge(fmt.get("formatCode", ""))
        if shown is not None:
            formats[fmt.get("numFmtId")] = shown
        else:
            formats.pop(fmt.get("numFmtId"), None)
    if not formats:
        return {}
    xfs = root.find(f"{_NS}cellXfs")
    if xfs is None:
        return {}
    return {
        i: formats[xf.get("numFmtId")]
        for i, xf in enumerate(xfs.findall(f"{_NS}xf"))
        if xf.get("numFmtId") in formats
    }


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the part holding it, as the scan resolves the workbook's relationships."""
    stored = {parts.norm(name): name for name in archive.namelist()}
    small = {
        low: archive.read(stored[low])
        for low in (parts.BOOK, parts.rels_of(parts.BOOK))
        if low in stored
    }
    names = parts.sheet_names(small, parts.relationships(small))
    return {name: stored[target] for target, name in names.items() if target in stored}


# A formula before a cell's saved value (<c r="E2" s="2"><f>C2*D2</f><v>100</v></c>), or a
# shared formula's reference (<f t="shared" si="0"/>): bounded, so no cell costs more than
# its own bytes.
FORMULA = (
    rb"(?:<(?:[\w.\-]{1,100}:)?f(?:\s[^>]{0,1000})?(?:/>|>[^<]{0,20000}</(?:[\w.\-]{1,100}:)?f>)"
    rb"\s{0,100})?"
)


def number_cells(styles: dict[int, object]) -> re.Pattern[bytes]:
    """A number cell of one of the styles: (column, row, style); attributes as Excel orders
    them, a formula before the value or not."""
    return re.compile(
        rb'<(?:[\w.\-]{1,100}:)?c r="([A-Z]{1,3})([0-9]{1,7})" s="(' + style_names(styles) + rb')"'
        rb"(?: t=\"n\")?>\s{0,100}" + FORMULA + rb"<(?:[\w.\-]{1,100}:)?v>"
    )


def _pattern(styles: dict[int, Shown]) -> re.Pattern[bytes]:
    """A number cell of one of the styles: (column, row, style, value).

    The attributes in the order Excel writes them (r, s, then t="n" if any): one pass in C
    over a million cells takes a third of the time of a pattern taking any order.
    """
    return re.compile(
        rb'<(?:[\w.\-]{1,100}:)?c r="([A-Z]{1,3})([0-9]{1,7})" s="(' + style_names(styles) + rb')"'
        rb'(?: t="n")?>\s{0,100}' + FORMULA + rb"<(?:[\w.\-]{1,100}:)?v>([0-9]{1,15})</"
    )


def style_names(styles: dict[int, object]) -> bytes:
    """The part of a cell pattern naming its style: each of styles, or any beyond Excel's count."""
    # A pattern naming thousands of styles costs more to build than the scan it serves (a
    # million made-up styles took 20 s): beyond Excel's own count any style is matched, and the
    # cells of other styles are dropped after.
    if len(styles) > _NAMED_STYLES:
        return b"[0-9]{1,10}"
    return b"|".join(str(i).encode() for i in sorted(styles))


def _of(
    cells: list[tuple[bytes, bytes, bytes, bytes]], styles: dict[int, Shown]
) -> list[tuple[bytes, bytes, bytes, bytes]]:
    """The cells whose style shows padded numbers."""
    return [cell for cell in cells if int(cell[2]) in styles]


def whole_rows(
    archive: zipfile.ZipFile, member: str, chunks: int | None = None
) -> Iterator[tuple[bytes, int]]:
    """A sheet part's XML as (buffer, end): buffer[:end] holds whole rows only (a row longer
    than a chunk waits for the next, up to 64 MB); the last piece is the rest. chunks: read
    at most that many chunks (the rest is then not given)."""
    carry = b""
    read = 0
    with archive.open(member) as part:
        while (chunks is None or read < chunks) and (chunk := part.read(_CHUNK)):
            read += 1
            buf = carry + chunk
            cut = buf.rfind(b"row>") + 4
            if cut < 4:
                cut = len(buf) if len(buf) > (64 << 20) else 0
            yield buf, cut
            carry = buf[cut:]
    if chunks is None or read < chunks:
        yield carry, len(carry)


def _pad(archive: zipfile.ZipFile, member: str, grid: SheetGrid, styles: dict[int, Shown]) -> None:
    """Write the padded text into the grid's cells of one sheet."""
    # The first cells of such a format tell which columns hold codes (looking at each of a
    # million cells took 2.5 s; the first chunk takes 0.01).
    pattern = _pattern(styles)
    found: list[tuple[bytes, bytes, bytes, bytes]] = []
    for buf, end in whole_rows(archive, member):
        found += _of(pattern.findall(buf, 0, end), styles)
        if len(found) >= SAMPLE:
            break
    codes = CodeColumns()
    for letters, row, kind, _value in found:
        codes.add(letters.decode(), int(row) - 1, styles[int(kind)])
    columns = codes.columns()
    # A column is a code column when its number cells are formatted so (below its first such
    # cell); a few formatted cells in a column of plain amounts keep their numbers, as a sum
    # in Excel counts them.
    plain = _plain_columns(archive, member, columns, styles)
    pad_columns(grid, {k: v for k, v in columns.items() if k not in plain})


_NUMBER_CELL = re.compile(
    rb'<(?:[\w.\-]{1,100}:)?c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,10})")?(?: t="n")?>'
    rb"\s{0,100}<(?:[\w.\-]{1,100}:)?v>"
)
_DECIDE_CHUNKS = 4  # the first megabytes of a sheet decide which columns hold codes
CODE_SHARE = 0.9  # of a column's number cells below its first formatted one


def _plain_columns(
    archive: zipfile.ZipFile,
    member: str,
    columns: dict[str, tuple[int, str, int, str]],
    styles: dict[int, Shown],
) -> set[str]:
    """The columns whose number cells are mostly not formatted as codes (their first MBs),
    both counted in the same cells."""
    if not columns:
        return set()
    first = {letter: spec[0] for letter, spec in columns.items()}
    numbers: Counter[str] = Counter()
    formatted: Counter[str] = Counter()

    def count(cells: list[tuple[bytes, bytes, bytes]]) -> None:
        for letters, row, style in cells:
            column = letters.decode()
            if column in first and int(row) - 1 >= first[column]:
                numbers[column] += 1
                formatted[column] += bool(style) and int(style) in styles

    for buf, end in whole_rows(archive, member, _DECIDE_CHUNKS):
        count(_NUMBER_CELL.findall(buf, 0, end))
    return {c for c in columns if formatted[c] < CODE_SHARE * numbers[c]}


def pad_columns(grid: SheetGrid, codes: dict[str, tuple[int, str, int, str]]) -> None:
    """Write each whole number of the code columns as shown, from its first formatted row on.

    codes: column letter -> (first row from 0, prefix, width, suffix).
    """
    columns = {letter: i for i, letter in enumerate(grid.letters)}
    for letter, (first, prefix, width, suffix) in codes.items():
        col = columns.get(letter)
        if col is None:
            continue
        column = grid.table.column(col).combine_chunks()
        below = np.arange(len(column)) >= first + 1 - grid.first_row
        whole = pc.fill_null(pc.match_substring_regex(column, r"^[0-9]{1,15}$"), False)
        mask = pa.array(below & np.asarray(whole))
        text = pc.utf8_lpad(column.filter(mask), width, padding="0")
        if prefix or suffix:
            text = pc.binary_join_element_wise(prefix, text, suffix, "")
        column = pc.replace_with_mask(column, mask, text)
        grid.table = grid.table.set_column(col, grid.table.field(col), column)
