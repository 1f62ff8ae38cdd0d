"""Read a workbook or CSV file into grids of text cells, keeping Excel's row numbers."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.config import SETTINGS, ImportLimits
from kam_core.ingest.errors import ImportRefused
from kam_core.ingest.guard import sniff, utf16_without_bom
from kam_core.ingest.isolated import ISOLATED_KINDS, read_isolated

DELIMITERS = (",", ";", "\t", "|")
# The reader reports error cells as e.g. "Expected string but got 'Error(Div0)'".
_ERROR_DETAIL = re.compile(r"Error\((\w+)\)")
EXCEL_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}


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

    def release(self) -> None:
        """Drop the cell grids (names and layout stay), to free memory once rows are parsed."""
        for grid in self.sheets:
            grid.table = grid.table.schema.empty_table()

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
    if kind.kind in ISOLATED_KINDS:  # formats that cannot be measured first: read in a child
        grids = read_isolated(data, file_name, limits)
    else:
        grids = _read_workbook(data, file_name, limits)
    return Workbook(file_name, kind.kind, grids, list(kind.notes))


def read_grids(data: bytes, file_name: str, limits: ImportLimits) -> list[SheetGrid]:
    """Read every sheet of a workbook in this process (the isolated reader's child uses it)."""
    return _read_workbook(data, file_name, limits)


def _reader_failed(exc: BaseException) -> bool:
    """True for the reader's own errors, a panic of its native code included."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _read_workbook(data: bytes, file_name: str, limits: ImportLimits) -> list[SheetGrid]:
    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
    except BaseException as exc:  # calamine raises its own error types for every broken file
        if not _reader_failed(exc):
            raise
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
            batch, errors = sheet.to_arrow_with_errors()
            table = _with_error_codes(pa.Table.from_batches([batch]), errors)
        except BaseException as exc:
            if not _reader_failed(exc):
                raise
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


def _with_error_codes(table: pa.Table, errors: object) -> pa.Table:
    """Put the code a failed formula shows (#DIV/0!, #N/A) where the reader left a blank."""
    found: dict[int, dict[int, str]] = {}
    for error in getattr(errors, "errors", None) or []:
        code = _ERROR_DETAIL.search(str(error.detail))
        row, col = error.position
        if code and col < table.num_columns and row < table.num_rows:
            name = code.group(1)
            found.setdefault(col, {})[row] = EXCEL_ERRORS.get(name, f"#{name.upper()}")
    for col, cells in found.items():
        mask = np.zeros(table.num_rows, dtype=bool)
        rows = sorted(cells)
        mask[rows] = True
        column = pc.replace_with_mask(
            table.column(col).combine_chunks(), pa.array(mask), pa.array([cells[r] for r in rows])
        )
        table = table.set_column(col, table.field(col), column)
    return table


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
    bare_utf16 = utf16_without_bom(data)
    if bare_utf16:
        return data.decode(bare_utf16, errors="replace"), bare_utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _latin_words(data[:200_000]):
        return data.decode("cp1252", errors="replace"), "cp1252"
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


def _latin_words(sample: bytes) -> bool:
    """True for Western text (Müller, café): accented letters inside Latin words.

    Read as Windows-1252, Hebrew and Russian text turn into words made only of accented
    letters; Western text has words mixing plain and accented letters.
    """
    words = re.findall(r"[^\W\d_]+", sample.decode("cp1252", errors="replace"))
    mixed = sum(1 for w in words if not w.isascii() and re.search(r"[A-Za-z]", w))
    foreign = sum(1 for w in words if not re.search(r"[A-Za-z]", w))
    return mixed > foreign


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
    widest = max((len(r) for r in rows), default=0)
    width = min(widest, limits.max_columns)
    columns = [[] for _ in range(width)]
    for row in rows:
        for i in range(width):
            value = row[i] if i < len(row) else None
            columns[i].append(value if value not in ("", None) else None)
    table = pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})
    letters = tuple(column_letter(i) for i in range(width))
    name = file_name.rsplit("/", 1)[-1]
    shown = {"\t": "tab"}.get(delimiter, delimiter)
    notes = [f"Read as text in {encoding}, columns separated by '{shown}'."]
    if widest > width:
        notes.append(
            f"The file is {widest:,} columns wide; only the first {width:,} columns are read "
            "(the limit)."
        )
    return SheetGrid(name, table, 1, letters), notes
