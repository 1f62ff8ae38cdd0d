"""Sheets as text grids, and how they travel from the reading worker as Arrow IPC files."""

from __future__ import annotations

import contextlib
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from kam_core.i18n import _, fmt_number
from kam_core.ingest.errors import ImportRefused, named


@dataclass(frozen=True)
class LongForm:
    """What a cross table's long form keeps of the sheet it was read from (periods.py)."""

    mapping: dict[str, int]  # its fields -> its columns
    notes: tuple[str, ...]  # what reading it so told the user
    titles: frozenset[str]  # the titles above the table, trimmed, in lower case


@dataclass
class SheetGrid:
    """One sheet as text: table row i is the sheet's row first_row + i, as Excel numbers it."""

    name: str
    table: pa.Table
    first_row: int = 1
    letters: tuple[str, ...] = ()
    hidden: bool = False
    # Rows the reader could not split or decode (table row index -> reason): rejected later.
    problems: dict[int, str] = field(default_factory=dict)
    # Columns (index) whose cells hold formulas without saved results: [cells, first cell].
    # The reader reads those cells as empty; the note says why.
    formulas: dict[int, list] = field(default_factory=dict)
    # The workbook counts dates from 1904 (a serial number the reader left is read so).
    date1904: bool = False
    # The separator of a delimited file's columns (None for a workbook's sheet).
    delimiter: str | None = None
    # Merged ranges one column wide, (column, first row, last row) as sheet rows from 0.
    merges: list[tuple[int, int, int]] = field(default_factory=list)
    # Columns (index in the sheet, from 0) the workbook hides.
    hidden_columns: tuple[int, ...] = ()
    # The Arrow IPC file the table is mapped from, when it was written there as it was read.
    path: Path | None = field(default=None, repr=False, compare=False)
    # The mapping the table's buffers point into, when it came back from the reading worker.
    mapped: mmap.mmap | None = field(default=None, repr=False, compare=False)
    # Columns (index) whose number format shows their amounts divided (#,##0, shows
    # thousands): column -> the factor. Their cells hold the full amounts.
    shown_scaled: dict[int, int] = field(default_factory=dict)
    # The sheet's row number of each table row, when they do not follow first_row one by one
    # (a cross table read as one row a filled cell: periods.py).
    row_numbers: np.ndarray | None = field(default=None, repr=False, compare=False)
    # What a cross table's long form keeps of it (periods.py); None for a sheet as read.
    long_of: LongForm | None = None
    # The note on tables side by side read one after the other (sidetables.py), else "".
    stacked_note: str = ""

    @property
    def n_rows(self) -> int:
        """Number of rows read, blank ones included."""
        return self.table.num_rows

    def sheet_rows(self, index: np.ndarray) -> np.ndarray:
        """The sheet's row numbers (as Excel numbers them) of table rows."""
        if self.row_numbers is None:
            return np.asarray(index, dtype=np.int64) + self.first_row
        return self.row_numbers[np.asarray(index, dtype=np.int64)]

    def drop_pages(self) -> None:
        """Let the kernel take back the pages of the table read so far (a later read maps
        them again)."""
        # The table is mapped from a file: a page once read counts in the process's memory
        # until it is let go, and a 1M-row grid is 160 MB of them. They are clean, so letting
        # them go loses nothing.
        if self.mapped is not None:
            with contextlib.suppress(OSError, ValueError):  # closed, or not Linux
                self.mapped.madvise(mmap.MADV_DONTNEED)


@dataclass
class Workbook:
    """All sheets of one file, with what the reader noticed on the way."""

    file_name: str
    kind: str
    sheets: list[SheetGrid]
    notes: list[str]
    # the sheets the workbook lists whose part is missing from the file (not read)
    missing: tuple[str, ...] = ()

    def release(self) -> None:
        """Drop the cell grids (names and layout stay), to free memory once rows are parsed."""
        for grid in self.sheets:
            grid.table = grid.table.schema.empty_table()

    def drop_pages(self) -> None:
        """Let the kernel take back the grid pages read so far; a later read maps them again."""
        # Kept while the file waits for its Import click, they would count for nothing.
        for grid in self.sheets:
            grid.drop_pages()

    def sheet(self, name: str) -> SheetGrid:
        """Return the sheet called name or raise ImportRefused listing the sheets."""
        for grid in self.sheets:
            if grid.name == name:
                return grid
        names = ", ".join(g.name for g in self.sheets)
        if name in self.missing:
            raise ImportRefused(
                _(
                    "{file}: sheet '{sheet}' is listed in the workbook but its part is missing "
                    "from the file; it cannot be read. Sheets: {sheets}."
                ).format(file=named(self.file_name), sheet=named(name), sheets=names)
            )
        raise ImportRefused(
            _("{file}: there is no sheet '{sheet}'. Sheets: {sheets}.").format(
                file=named(self.file_name), sheet=named(name), sheets=names
            )
        )


def column_letter(index: int) -> str:
    """Return Excel's letter for a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_file(folder: Path, index: int) -> Path:
    """The Arrow IPC file of a book's index-th sheet in the read's folder."""
    return folder / f"sheet{index}.arrow"


# Sheets (or a web page's tables) read from one file: an .ods of 20,000 tables in 100 KB held
# a file open per sheet in the server until no page could be served.
MAX_SHEETS = 1_000
# A sheet's table is mapped from its file from this size, or once this much of a book was
# read; a smaller one is read into memory, so a book of many small sheets holds no open file
# per sheet (a map keeps its file open while it lives).
MAP_FROM_BYTES = 4 << 20
READ_AT_MOST = 64 << 20
MAPS_LET_GO = 8  # sheets of a book mapped so that their pages can be let go (drop_pages)


def save_book(book: Workbook, folder: Path) -> dict:
    """Write each sheet's table as an Arrow IPC file in folder; return the rest as plain data."""
    if len(book.sheets) > MAX_SHEETS:
        raise ImportRefused(
            _(
                "{file}: it has {count} sheets or tables; at most {limit} are read. Save the "
                "sheet with the sales as a file of its own and upload that."
            ).format(
                file=named(book.file_name),
                count=fmt_number(len(book.sheets)),
                limit=fmt_number(MAX_SHEETS),
            )
        )
    sheets = []
    for i, grid in enumerate(book.sheets):
        path = sheet_file(folder, i)
        if grid.path != path:  # a sheet streamed into its file as it was read is there already
            with (
                pa.OSFile(str(path), "wb") as sink,
                pa.ipc.new_file(sink, grid.table.schema) as out,
            ):
                out.write_table(grid.table)
        sheets.append(
            {
                "name": grid.name,
                "first_row": grid.first_row,
                "letters": grid.letters,
                "hidden": grid.hidden,
                "problems": grid.problems,
                "formulas": grid.formulas,
                "date1904": grid.date1904,
                "delimiter": grid.delimiter,
                "merges": grid.merges,
                "hidden_columns": grid.hidden_columns,
                "shown_scaled": grid.shown_scaled,
            }
        )
    return {
        "file_name": book.file_name,
        "kind": book.kind,
        "notes": book.notes,
        "sheets": sheets,
        "missing": list(book.missing),
    }


def load_book(meta: dict, folder: Path) -> Workbook:
    """Read back what save_book wrote; tables are mapped from the files, not copied."""
    grids = []
    read = maps = 0
    for i, sheet in enumerate(meta["sheets"]):
        mapped = None
        path = sheet_file(folder, i)
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size < MAP_FROM_BYTES and read + size <= READ_AT_MOST:
                source = pa.BufferReader(pa.py_buffer(file.read()))
                read += size
            elif maps < MAPS_LET_GO:
                # Mapped so that its pages can be let go once parsed (drop_pages); each such
                # map keeps a file open while it lives.
                mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                source = pa.BufferReader(pa.py_buffer(mapped))
                maps += 1
            else:
                source = None
        if source is None:
            # Arrow's map holds no open file once closed: a book of many large sheets keeps
            # no file open per sheet for as long as a session keeps it.
            with pa.memory_map(str(path), "r") as view:
                table = pa.ipc.open_file(view).read_all()
        else:
            table = pa.ipc.open_file(source).read_all()
        grids.append(
            SheetGrid(
                sheet["name"],
                table,
                sheet["first_row"],
                tuple(sheet["letters"]),
                sheet["hidden"],
                dict(sheet["problems"]),
                dict(sheet.get("formulas", {})),
                bool(sheet.get("date1904", False)),
                sheet.get("delimiter"),
                [tuple(m) for m in sheet.get("merges", [])],
                tuple(sheet.get("hidden_columns", ())),
                mapped=mapped,
                shown_scaled={int(k): int(v) for k, v in sheet.get("shown_scaled", {}).items()},
            )
        )
    missing = tuple(meta.get("missing", ()))
    return Workbook(meta["file_name"], meta["kind"], grids, list(meta["notes"]), missing)
