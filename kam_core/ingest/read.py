"""Read a workbook or CSV file into grids of text cells, keeping Excel's row numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import fastexcel
import pyarrow as pa

from kam_core.config import SETTINGS, ImportLimits
from kam_core.ingest.errors import ImportRefused
from kam_core.ingest.guard import sniff

DELIMITERS = (",", ";", "\t", "|")


@dataclass
class SheetGrid:
    """One sheet as text: table row i is the sheet's row first_row + i, as Excel numbers it."""

    name: str
    table: pa.Table
    first_row: int = 1
    letters: tuple[str, ...] = ()
    hidden: bool = False

    @property
    def n_rows(self) -> int:
        """Number of rows read, blank ones included."""
        return self.table.num_rows


@dataclass
class Workbook:
    """All sheets of one file, with what the reader noticed on the way."""

    file_name: str
    kind: str
    sheets: list[SheetGrid]
    notes: list[str]

    def sheet(self, name: str) -> SheetGrid:
        """Return the sheet called name or raise ImportRefused listing the sheets."""
        for grid in self.sheets:
            if grid.name == name:
                return grid
        names = ", ".join(g.name for g in self.sheets)
        raise ImportRefused(f"{self.file_name}: there is no sheet '{name}'. Sheets: {names}.")


def column_letter(index: int) -> str:
    """Return Excel's letter for a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_file(data: bytes, file_name: str, limits: ImportLimits = SETTINGS.limits) -> Workbook:
    """Read every sheet of a spreadsheet file (given as bytes) into text grids."""
    kind = sniff(data, file_name, limits)
    if kind.kind == "csv":
        grid, notes = _read_csv(data, file_name, limits)
        return Workbook(file_name, "csv", [grid], [kind.note, *notes] if kind.note else notes)
    return Workbook(file_name, kind.kind, _read_workbook(data, file_name, limits), [])


def _read_workbook(data: bytes, file_name: str, limits: ImportLimits) -> list[SheetGrid]:
    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise ImportRefused(_explain_reader_error(file_name, exc)) from exc
    grids = []
    for name in names:
        try:
            # header_row=None with skip_rows=0 keeps leading blank rows, so row i is Excel row i+1.
            sheet = reader.load_sheet(
                name,
                header_row=None,
                skip_rows=0,
                dtypes="string",
                use_columns=lambda col: col.index < limits.max_columns,
                n_rows=limits.max_rows + 1,  # one more than allowed, to tell the user
            )
            table = pa.Table.from_batches([sheet.to_arrow()])
        except Exception as exc:
            raise ImportRefused(_explain_reader_error(f"{file_name}, sheet '{name}'", exc)) from exc
        if table.num_rows > limits.max_rows:
            raise ImportRefused(
                f"{file_name}, sheet '{name}': more than {limits.max_rows:,} rows; the limit "
                f"is {limits.max_rows:,} rows per sheet. Split the file and import the parts."
            )
        letters = tuple(column_letter(c.absolute_index) for c in sheet.available_columns())
        table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        visible = str(getattr(sheet, "visible", "visible")).lower().endswith("visible")
        grids.append(SheetGrid(name, table, 1, letters, hidden=not visible))
    return grids


def _explain_reader_error(where: str, exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    low = str(exc).lower()
    if "password" in low or "encrypt" in low:
        return (
            f"{where}: the workbook is protected with a password. Remove the password in "
            "Excel and upload it again."
        )
    return f"{where}: the file is damaged or not a workbook this app can read ({text})."


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; return (text, encoding). UTF-8, UTF-16, Windows-1255 or -1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Both legacy code pages decode any byte; the one yielding more letters of its script wins.
    sample = data[:200_000]
    hebrew = sum(
        1
        for ch in sample.decode("cp1255", errors="replace")
        if "\u05d0" <= ch <= "\u05ea" or ch in "\u05f3\u05f4"  # letters, geresh, gershayim
    )
    cyrillic = sum(
        1 for ch in sample.decode("cp1251", errors="replace") if "\u0410" <= ch <= "\u044f"
    )
    # Every Hebrew letter byte is also a lower-case Cyrillic letter in cp1251, so Hebrew text
    # ties; Russian text has capitals and ы/ь/я, which cp1255 does not read as letters.
    encoding = "cp1255" if hebrew and hebrew >= cyrillic else "cp1251"
    return data.decode(encoding, errors="replace"), encoding


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines into the most consistent columns."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [len(next(csv.reader([ln], delimiter=delim))) for ln in lines]
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * common
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(data: bytes, file_name: str, limits: ImportLimits) -> tuple[SheetGrid, list[str]]:
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(rows) > limits.max_rows:
        raise ImportRefused(f"{file_name}: {len(rows):,} rows; the limit is {limits.max_rows:,}.")
    width = min(max((len(r) for r in rows), default=0), limits.max_columns)
    columns = [[] for _ in range(width)]
    for row in rows:
        for i in range(width):
            value = row[i] if i < len(row) else None
            columns[i].append(value if value not in ("", None) else None)
    table = pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})
    letters = tuple(column_letter(i) for i in range(width))
    name = file_name.rsplit("/", 1)[-1]
    shown = {"\t": "tab"}.get(delimiter, delimiter)
    note = f"Read as text in {encoding}, columns separated by '{shown}'."
    return SheetGrid(name, table, 1, letters), [note]
