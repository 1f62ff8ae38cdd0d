"""Tables side by side on one sheet under the same header, read one after the other.

A manager keeps a year or a branch a table, the next one to the right of the first, with a blank
column between and the same labels over each (`Order Date, Customer, Amount`, blank,
`Order Date, Customer, Amount`). Only the first table was read: the others' sales were left out,
with a note that the labels repeat. Each table's rows are now read below the first's, each row
keeping its own row number; a column is named by the letters it has in each table (`C/G`).
Cells merged over rows (a label merged down, a client written once over its orders) are filled
down before the tables are stacked.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.config import SETTINGS
from kam_core.i18n import _, fmt_number
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.fields import CLIENT_FIELDS, normalise_label
from kam_core.ingest.grid import SheetGrid, Workbook
from kam_core.ingest.header import Layout, detect_layout, header_cells
from kam_core.ingest.validate import merged_filled, merges_note


def _blocks(labels: list[str], mapped: list[int]) -> tuple[int, int, list[int]] | None:
    """The first table's columns (start, width) and where each table of its header starts."""
    start, end = mapped[0], mapped[-1]
    if not all(labels[start : end + 1]):
        return None  # a blank column inside the first table: no table of its own to repeat
    while start > 0 and labels[start - 1]:
        start -= 1
    while end + 1 < len(labels) and labels[end + 1]:
        end += 1
    block, width = labels[start : end + 1], end - start + 1
    if width < 2:
        return None
    starts, col = [start], end + 1
    while col < len(labels):
        if not labels[col]:
            col += 1
            continue
        after = col + width
        if labels[col:after] != block or (after < len(labels) and labels[after]):
            break  # another table or a column of its own: the repeat stops here
        starts.append(col)
        col = after
    return (start, width, starts) if len(starts) > 1 else None


def stack_side_tables(book: Workbook, layout: Layout) -> tuple[Layout, str] | None:
    """Put the rows of tables standing beside the layout's, under its header, below its rows.

    Returns the layout over the new grid and a note, or None when the sheet holds one table.
    """
    grid = book.sheet(layout.sheet)
    if grid.stacked_note:
        return None  # stacked by an earlier detection of the same upload
    if (
        layout.header_index < 0
        or not layout.mapping
        or grid.row_numbers is not None
        or grid.long_of is not None
        or grid.formulas
        or grid.problems
    ):
        return None
    labels = [normalise_label(cell) for cell in header_cells(grid, layout)]
    blocks = _blocks(labels, sorted(set(layout.mapping.values())))
    if blocks is None:
        return None
    start, width, starts = blocks
    head = layout.header_index + 1
    table = grid.table
    merged = ""
    if grid.merges:
        # Merged cells are filled down here, where each table's columns and rows are still
        # the sheet's: the stacked grid's rows are no longer the sheet's in a row, and a
        # merge's note names its cells as the sheet shows them.
        table, merged = _merges_filled(grid, layout, head, start, starts)
    pieces = [_columns(table.slice(0, head), start, width)]
    numbers = [np.arange(head, dtype=np.int64)]
    rows, limit = head, SETTINGS.limits.max_rows
    for first in starts:
        body = _columns(table.slice(head), first, width)
        # A row is a table's by what it holds itself, not by a merge's text over it.
        filled = _filled(_columns(grid.table.slice(head), first, width))
        rows += int(filled.sum())
        if rows > limit:
            # The tables' rows one after the other may pass the bound the sheet kept to.
            raise ImportRefused(
                _(
                    "{file}, sheet '{sheet}': more than {limit} rows; the limit is {limit} rows "
                    "per sheet. Split the file and import the parts."
                ).format(
                    file=named(book.file_name), sheet=named(grid.name), limit=fmt_number(limit)
                )
            )
        pieces.append(body.filter(pa.array(filled)))
        numbers.append(np.flatnonzero(filled).astype(np.int64) + head)
    stacked = pa.concat_tables(pieces).combine_chunks()
    # Many tables are named by the first and the last (a message names a column in a line).
    shown = starts if len(starts) <= 4 else [*starts[:2], -1, starts[-1]]
    letters = tuple(
        "/".join("…" if s < 0 else grid.letters[s + k] for s in shown) for k in range(width)
    )
    spans = ", ".join(
        "…" if s < 0 else f"{grid.letters[s]}:{grid.letters[s + width - 1]}" for s in shown
    )
    note = _(
        "Sheet '{sheet}' holds {count} tables side by side under the same header ({columns}); "
        "the rows of each were read, one table after the other. A column is named by its "
        "letter in each table."
    ).format(sheet=named(grid.name), count=len(starts), columns=spans)
    if merged:
        note += " " + merged
    new = SheetGrid(
        grid.name,
        stacked,
        first_row=grid.first_row,
        letters=letters,
        hidden=grid.hidden,
        date1904=grid.date1904,
        delimiter=grid.delimiter,
        row_numbers=np.concatenate(numbers) + grid.first_row,
        shown_scaled={c - start: f for c, f in grid.shown_scaled.items() if 0 <= c - start < width},
        stacked_note=note,
    )
    book.sheets[book.sheets.index(grid)] = new
    found = replace(detect_layout(new), others=layout.others, aside=layout.aside)
    return found, note


def _merges_filled(
    grid: SheetGrid, layout: Layout, head: int, start: int, starts: list[int]
) -> tuple[pa.Table, str]:
    """The sheet's table with its merges filled down below the header, and their note."""
    clients = {layout.mapping[f] - start for f in CLIENT_FIELDS if f in layout.mapping}
    counted = frozenset(first + c for first in starts for c in clients)
    body, filled = merged_filled(
        grid.table.slice(head), grid.merges, head + grid.first_row - 1, counted
    )
    table = pa.concat_tables([grid.table.slice(0, head), body]).combine_chunks()
    return table, merges_note(grid.name, filled) if filled else ""


def _columns(table: pa.Table, first: int, width: int) -> pa.Table:
    names = [f"c{i}" for i in range(width)]
    return pa.table([table.column(first + k) for k in range(width)], names=names)


def _filled(body: pa.Table) -> np.ndarray:
    """True for the rows holding any value (a shorter table's blank rows below it are left)."""
    filled = np.zeros(body.num_rows, dtype=bool)
    for column in body.columns:
        text = pc.utf8_trim_whitespace(column.cast(pa.string()))
        filled |= pc.fill_null(pc.greater(pc.utf8_length(text), 0), False).to_numpy(
            zero_copy_only=False
        )
    return filled
