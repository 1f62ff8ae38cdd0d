"""Numbers an .xlsx shows with leading zeros ('000123' from 123 and the format 000000).

ERP workbooks store client and order codes as numbers formatted to a fixed width; the reader
gives the number (123), so the same client arrived as 000123 from the CSV export of the same
system and as 123 from the workbook: two clients, and the quarter imported twice. Such cells
are given the text Excel shows. Only workbooks whose styles hold such a format are looked at.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.grid import SheetGrid

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Zeros only, with a quoted prefix or suffix: 000000, "C"00000, "INV-"0000.
_PADDED = re.compile(r'^(?:"([^"]*)")?(0{2,})(?:"([^"]*)")?$')
# A number cell whose style is given, its position first (as every common writer puts it).
_CELL = re.compile(
    rb'<(?:[\w.\-]{1,100}:)?c r="([A-Z]{1,3})([0-9]{1,7})"([^<>]{0,1000})>\s{0,100}'
    rb"<(?:[\w.\-]{1,100}:)?v>([0-9]{1,15})</"
)
_STYLE = re.compile(rb'\bs="([0-9]{1,6})"')
_TYPE = re.compile(rb'\bt="(?!n")')
_CHUNK = 1 << 20
_MAX_CELLS = 5_000_000  # cells padded at most (a row bound's worth of one column)


def with_leading_zeros(data: bytes, grids: list[SheetGrid]) -> list[SheetGrid]:
    """The grids with each number shown with leading zeros written as Excel shows it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles = _padded_styles(archive)
            if not styles:
                return grids
            members = _sheet_members(archive)
            by_name = {grid.name: grid for grid in grids}
            for name, member in members.items():
                grid = by_name.get(name)
                if grid is not None and member in archive.namelist():
                    _pad(archive, member, grid, styles)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError):
        pass  # the cells stay as the reader read them
    return grids


def _padded_styles(archive: zipfile.ZipFile) -> dict[int, tuple[str, int, str]]:
    """Cell style index -> (prefix, width, suffix) of the styles showing padded numbers."""
    name = next((n for n in archive.namelist() if n.lower() == "xl/styles.xml"), None)
    if name is None:
        return {}
    root = ElementTree.fromstring(archive.read(name))
    formats = {}
    for fmt in root.iter(f"{_NS}numFmt"):
        found = _PADDED.match(fmt.get("formatCode", ""))
        if found:
            prefix, zeros, suffix = found.groups()
            formats[fmt.get("numFmtId")] = (prefix or "", len(zeros), suffix or "")
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


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the part holding it, from the workbook and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = (rel.get("Target") or "").replace("\\", "/")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(path)
    sheets = book.find(f"{_NS}sheets")
    out = {}
    for sheet in [] if sheets is None else sheets:
        rid = sheet.get(f"{_REL_NS}id")
        if rid in targets:
            out[sheet.get("name", "")] = targets[rid]
    return out


def _pad(
    archive: zipfile.ZipFile, member: str, grid: SheetGrid, styles: dict[int, tuple[str, int, str]]
) -> None:
    """Write the padded text into the grid's cells of one sheet."""
    columns = {letter: i for i, letter in enumerate(grid.letters)}
    found: dict[int, dict[int, str]] = {}
    count, carry = 0, b""
    with archive.open(member) as part:
        while True:
            chunk = part.read(_CHUNK)
            buf = carry + chunk
            cut = len(buf) - 4096 if chunk else len(buf)  # a cell may go on in the next chunk
            for cell in _CELL.finditer(buf):
                if cell.start() >= cut:
                    break
                attrs = cell.group(3)
                style = _STYLE.search(attrs)
                if style is None or _TYPE.search(attrs):
                    continue
                shown = styles.get(int(style.group(1)))
                col = columns.get(cell.group(1).decode())
                row = int(cell.group(2)) - grid.first_row
                if shown is None or col is None or not 0 <= row < grid.table.num_rows:
                    continue
                prefix, width, suffix = shown
                found.setdefault(col, {})[row] = (
                    prefix + cell.group(4).decode().zfill(width) + suffix
                )
                count += 1
                if count > _MAX_CELLS:
                    return
            if not chunk:
                break
            carry = buf[max(cut, 0) :]
    for col, cells in found.items():
        rows = np.array(sorted(cells), dtype=np.int64)
        mask = np.zeros(grid.table.num_rows, dtype=bool)
        mask[rows] = True
        column = pc.replace_with_mask(
            grid.table.column(col).combine_chunks(),
            pa.array(mask),
            pa.array([cells[r] for r in rows.tolist()], pa.string()),
        )
        grid.table = grid.table.set_column(col, grid.table.field(col), column)
