"""Amounts whose currency only their cell's number format shows ('€100', '$100' in one column).

A workbook can hold amounts of several currencies in one column, each shown with its sign by a
format ([$€-407]#,##0.00, "$"#,##0.00) while the cells hold plain numbers: read as numbers they
were added up as one currency. In a column whose cells are formatted in two currencies or more,
each such cell is given its sign, so the parse tells the currencies apart as it does for
amounts written with their signs (the rows not in the column's main currency are rejected,
with a note). Only workbooks whose styles show two currencies or more are looked at.
"""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.grid import SheetGrid
from kam_core.ingest.padded import each_sheet, format_styles, number_cells, whole_rows

# The signs the parse tells apart (parse.CURRENCIES, not imported: that module brings pandas
# into the reading worker), and how a format may name each.
_SIGNS = {
    "$": r"\$|\bUSD\b",
    "€": r"€|\bEUR\b",
    "£": r"£|\bGBP\b",
    "₪": r"₪|\bILS\b|\bNIS\b|ש\"ח|ש״ח",
    "₽": r"₽|\bRUB\b|руб",
    "¥": r"¥|\bJPY\b|\bCNY\b",
    "₹": r"₹|\bINR\b",
}
# What a format code shows as text: [$€-407] and [$USD], "quoted", \escaped and bare signs.
# ([$€-x-euro2] is Excel's own euro format: what follows the sign's dash is a locale or a tag.)
_SHOWN = re.compile(r'\[\$([^\]\-]*)(?:-[^\]]*)?\]|"([^"]*)"|\\(.)|([$€£₪₽¥₹])')


def format_currency(code: str) -> str | None:
    """The currency sign a number format shows (its first section), or None."""
    section = code.split(";", 1)[0]
    shown = "".join("".join(m.groups(default="")) for m in _SHOWN.finditer(section))
    found = {sign for sign, pattern in _SIGNS.items() if re.search(pattern, shown)}
    return found.pop() if len(found) == 1 else None


def _styles(archive: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index -> the currency sign its format shows, when two signs or more are."""
    signs = format_styles(archive, format_currency)
    return signs if len(set(signs.values())) >= 2 else {}


def with_currency_signs(data: bytes, grids: list[SheetGrid]) -> list[SheetGrid]:
    """The grids with each amount of a column of mixed currency formats written with its sign."""
    return each_sheet(data, grids, _styles, _sign)


def _found(
    matches: list[tuple[bytes, bytes, bytes]], styles: dict[int, str], cells: dict[str, dict]
) -> None:
    """Add the cells of a currency's style to cells (column letter -> sheet row -> sign)."""
    for letters, row, style in matches:
        sign = styles.get(int(style))
        if sign is not None:
            cells.setdefault(letters.decode(), {})[int(row)] = sign


def _sign(archive: zipfile.ZipFile, member: str, grid: SheetGrid, styles: dict[int, str]) -> None:
    """Write the sign before the amounts of the sheet's columns formatted in several currencies."""
    pattern = number_cells(styles)
    cells: dict[str, dict[int, str]] = {}  # column letter -> sheet row (from 1) -> sign
    for buf, end in whole_rows(archive, member):
        _found(pattern.findall(buf, 0, end), styles, cells)
    columns = {letter: i for i, letter in enumerate(grid.letters)}
    for letter, found in cells.items():
        col = columns.get(letter)
        if col is None or len(set(found.values())) < 2:
            continue
        column = grid.table.column(col).combine_chunks()
        rows = [r for r in sorted(found) if 0 <= r - grid.first_row < len(column)]
        at = np.array([r - grid.first_row for r in rows], dtype=np.int64)
        taken = pc.take(column, pa.array(at))
        valid = np.asarray(taken.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        signs = pa.array([found[r] for r in rows], pa.string())
        text = pc.binary_join_element_wise(signs, taken, "").filter(pa.array(valid))
        mask = np.zeros(len(column), dtype=bool)
        mask[at[valid]] = True
        column = pc.replace_with_mask(column, pa.array(mask), text)
        grid.table = grid.table.set_column(col, grid.table.field(col), column)
