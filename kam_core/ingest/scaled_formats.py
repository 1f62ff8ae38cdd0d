"""Amounts a number format shows in thousands or millions ('#,##0,' shows 1,234,567 as 1,235).

Under such a format the cell holds the full amount, and a header saying '($000)' describes
what Excel shows, not what the cell holds: scaled again, the amounts were stored a thousand
times too large. The columns whose cells are mostly so formatted are marked on the grid
(SheetGrid.shown_scaled), and the parse leaves their amounts as the cells hold them.
"""

from __future__ import annotations

import re
import zipfile

from kam_core.ingest.grid import SheetGrid
from kam_core.ingest.padded import each_sheet, format_styles, number_cells, whole_rows

# What a format shows as text, not as a figure: quoted, escaped, bracketed (colours, locales).
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
# Commas right after the last digit placeholder: each divides what is shown by a thousand.
_SCALING = re.compile(r"[0#?](,+)(?![,0#?])")


def format_scale(code: str) -> int | None:
    """The factor a number format divides its amounts by when showing them, or None."""
    section = _LITERAL.sub("", code.split(";", 1)[0])
    if "%" in section or re.search(r"[dmyhs]", section, re.IGNORECASE):
        return None  # a percent or a date: no amount
    found = _SCALING.findall(section)
    if not found:
        return None
    return 1000 ** len(found[-1])


def _styles(archive: zipfile.ZipFile) -> dict[int, int]:
    """Cell style index -> the factor its format shows amounts divided by."""
    return format_styles(archive, format_scale)


def mark_scaled(data: bytes, grids: list[SheetGrid]) -> list[SheetGrid]:
    """The grids with the columns whose amounts their format shows scaled marked."""
    return each_sheet(data, grids, _styles, _mark)


def _mark(archive: zipfile.ZipFile, member: str, grid: SheetGrid, styles: dict[int, int]) -> None:
    """Mark the sheet's columns mostly formatted to show their amounts scaled."""
    pattern = number_cells(styles)
    counts: dict[tuple[str, int], int] = {}  # (column letter, factor) -> cells
    for buf, end in whole_rows(archive, member):
        _count(pattern.findall(buf, 0, end), styles, counts)
    columns = {letter: i for i, letter in enumerate(grid.letters)}
    for (letter, factor), cells in counts.items():
        col = columns.get(letter)
        if col is None:
            continue
        filled = len(grid.table.column(col)) - grid.table.column(col).null_count
        # Most of the column's cells (its header aside): a total formatted so is no column.
        if cells >= 2 and cells >= 0.5 * (filled - 1):
            grid.shown_scaled[col] = factor


def _count(
    matches: list[tuple[bytes, bytes, bytes]],
    styles: dict[int, int],
    counts: dict[tuple[str, int], int],
) -> None:
    for letters, _row, style in matches:
        factor = styles.get(int(style))
        if factor is not None:
            key = (letters.decode(), factor)
            counts[key] = counts.get(key, 0) + 1
