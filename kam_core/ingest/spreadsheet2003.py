"""Excel's "XML Spreadsheet 2003" files, read as grids of text.

ERPs and reporting tools still export this XML under an .xls name (Excel opens it after a
warning). The file is parsed by expat as it is read, a megabyte at a time (linear, no DOCTYPE,
so no entity is expanded); each Worksheet becomes a sheet, its cells placed where their
ss:Index and merges put them, as Excel shows them.
"""

from __future__ import annotations

import codecs
import re
from xml.parsers import expat

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.extent import xml_parser
from kam_core.ingest.grid import SheetGrid, column_letter
from kam_core.ingest.guard import Bytes
from kam_core.ingest.webtable import TableRows, finished

# The most columns or rows a merge may span (Excel's own sheet size).
_MAX_ACROSS = 16_383
_MAX_DOWN = 1_048_575
_DECLARATION = re.compile(
    rb"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*["'])([A-Za-z0-9_.:\-]{1,40})"""
)
# The encodings expat reads itself; any other is decoded here first.
_EXPAT_READS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "us-ascii", "ascii"}
# A date and time as the format writes it: 2024-01-05T00:00:00.000 (midnight is a date).
_BOOLEAN = {"1": "TRUE", "0": "FALSE"}
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00(?::00(?:\.0+)?)?$")


_DIGITS = re.compile(r"\s*([0-9]{1,18})\s*")


class _Local(dict):
    """Names without their prefix (ss:Index -> Index), each worked out once."""

    def __missing__(self, name: str) -> str:
        if len(self) > 10_000:  # a file of ever new names: no memory for them
            self.clear()
        local = self[name] = name.rsplit(":", 1)[-1]
        return local


def _number(value: str | None, most: int) -> int:
    """A non-negative whole number attribute (0 when absent or unreadable), at most `most`."""
    if value is None:
        return 0
    digits = _DIGITS.fullmatch(value)
    return min(int(digits.group(1)), most) if digits else 0


class _Sheets:
    """The parser's handlers: the worksheets' cells, row by row."""

    def __init__(self, limits: ImportLimits, file_name: str) -> None:
        self.limits = limits
        self.file_name = file_name
        self.tables: list[TableRows] = []
        self.table: TableRows | None = None
        self.in_cell = False
        self.data: list[str] | None = None  # the text of the cell's Data element
        self.visible: list[str] | None = None  # the text of the sheet's Visible option
        self.kind = ""
        self.skipped = 0  # inside a comment or phonetic text: not the cell's value
        self.local = _Local()
        self.names: dict[str, int] = {}  # sheet name -> the next number for a repeat of it
        # Blank rows a row's ss:Span says follow it, added only when a later row comes: a
        # sheet's formatting written to its last row must not count as rows of data.
        self.owed = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self.local[name]
        if attrs:
            attrs = {self.local[k]: v for k, v in attrs.items()}
        if tag == "Worksheet":
            number = len(self.tables) + 1
            self.owed = 0
            title = attrs.get("Name") or _("Sheet {number}").format(number=number)
            if title in self.names:  # Excel never writes two sheets of one name: both are read
                n = self.names[title]
                while f"{title} ({n})" in self.names:
                    n += 1
                self.names[title] = n + 1
                title = f"{title} ({n})"
            self.names.setdefault(title, 2)
            self.table = TableRows(number, self.limits, self.file_name, name=title)
            self.tables.append(self.table)
        elif self.table is None:
            return
        elif tag in ("Comment", "PhoneticText"):
            self.skipped += 1
        elif tag == "Visible":  # WorksheetOptions: SheetHidden, SheetVeryHidden
            self.visible = []
        elif tag == "Row":
            index = _number(attrs.get("Index"), self.limits.max_rows + 2)
            if index and index <= self.table.count:
                self._refuse_row(index)
            self._row(index)
            self.owed = _number(attrs.get("Span"), self.limits.max_rows + 2)
        elif tag == "Cell":
            if self.table.row is None:
                self._row(0)
            index = _number(attrs.get("Index"), self.limits.max_columns + 1)
            if index:
                self._refuse_going_back(index)
            self.table.start_cell(
                _number(attrs.get("MergeAcross"), _MAX_ACROSS) + 1,
                _number(attrs.get("MergeDown"), _MAX_DOWN) + 1,
                at=index - 1 if index else None,
            )
            self.in_cell = True
        elif tag == "Data" and self.in_cell and not self.skipped:
            self.data = []
            self.kind = attrs.get("Type", "")

    def _refuse_row(self, index: int) -> None:
        """Refuse a row placed at or above a row already written (Excel refuses the file)."""
        # Read, it would be placed below the rows before it, its number and its cells' rows
        # wrong in every message.
        assert self.table is not None
        raise ImportRefused(
            _(
                "sheet '{sheet}': the file is damaged: a row is numbered {index} (ss:Index) after "
                "row {count}, but rows must come in order; Excel refuses to open such a file "
                "too. Export it again from the system it came from"
            ).format(
                sheet=named(self.table.name),
                index=fmt_number(index),
                count=fmt_number(self.table.count),
            )
        )

    def _refuse_going_back(self, index: int) -> None:
        """Refuse a cell placed (ss:Index, from 1) at or left of a cell already written in its
        row."""
        # Read, it would go right of the cells before it, in another column (its value lost
        # from its own): Excel refuses to open such a file.
        assert self.table is not None
        reach = max(len(self.table.row or ()), self.table.past)
        # Past the columns read a cell's column is cut to the last: it is not compared.
        if index > min(reach, self.limits.max_columns):
            return
        raise ImportRefused(
            _(
                "sheet '{sheet}', row {row}: the file is damaged: a cell is placed in column "
                '{column} (ss:Index="{index}"), but the row\'s cells before it already fill '
                "the columns up to {reach}; Excel refuses to open such a file too. Export it "
                "again from the system it came from"
            ).format(
                sheet=named(self.table.name),
                row=fmt_number(self.table.count + 1),
                column=column_letter(index - 1),
                index=index,
                reach=column_letter(reach - 1),
            )
        )

    def _row(self, index: int) -> None:
        """A row starts: at sheet row `index` when given, else below the rows the last one's
        ss:Span covers (rows skipped are blank)."""
        table = self.table
        assert table is not None
        table.end_row()
        # The rows skipped are blank; past the row bound, skip_rows refuses the sheet. A spanned
        # row repeats the formatting of the one written, not its cells (Excel writes ss:Span
        # only for rows with none).
        table.skip_rows(index - 1 - table.count if index else self.owed)
        self.owed = 0
        table.start_row()

    def end(self, name: str) -> None:
        tag = self.local[name]
        if self.table is None:
            return
        if tag in ("Comment", "PhoneticText"):
            self.skipped = max(0, self.skipped - 1)
        elif tag == "Visible" and self.visible is not None:
            self.table.hidden = "".join(self.visible).strip().lower().startswith("sheet")
            self.visible = None
        elif tag == "Data" and self.data is not None:
            text = "".join(self.data)
            if self.kind == "DateTime":
                midnight = _MIDNIGHT.match(text.strip())
                text = midnight.group(1) if midnight else text.strip().replace("T", " ")
            elif self.kind == "Boolean":
                text = _BOOLEAN.get(text.strip(), text)  # as Excel shows it, not a number
            self.table.text(text)
            self.data = None
        elif tag == "Cell":
            self.table.end_cell()
            self.in_cell = False
        elif tag == "Row":
            self.table.end_row()
        elif tag == "Worksheet":
            self.table.end_row()
            self.table = None

    def text(self, data: str) -> None:
        if self.data is not None and not self.skipped:
            self.data.append(data)
        elif self.visible is not None:
            self.visible.append(data[:100])


def _as_expat_reads(data: Bytes) -> Bytes:
    """The file in an encoding expat reads: one it does not (windows-1255...) decoded here."""
    found = _DECLARATION.match(bytes(data[:300]))
    if found is None:
        return data
    name = found.group(2).decode("ascii").lower()
    if name in _EXPAT_READS:
        return data
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return data  # expat names the unknown encoding
    text = bytes(data).decode(codec, errors="replace")
    return _DECLARATION.sub(rb"\1UTF-8", text.encode("utf-8"), count=1)


def read_spreadsheet_2003(
    data: Bytes, file_name: str, limits: ImportLimits
) -> tuple[list[SheetGrid], list[str]]:
    """Every worksheet of an XML Spreadsheet 2003 file as a grid, and notes."""
    data = _as_expat_reads(data)
    sheets = _Sheets(limits, file_name)
    parser = xml_parser()
    parser.buffer_text = True
    parser.StartElementHandler = sheets.start
    parser.EndElementHandler = sheets.end
    parser.CharacterDataHandler = sheets.text
    try:
        for at in range(0, len(data), 1 << 20):
            parser.Parse(data[at : at + (1 << 20)], False)
        parser.Parse(b"", True)
    except ImportRefused as exc:  # a DOCTYPE
        raise ImportRefused(
            _("{file}: {problem}.").format(file=named(file_name), problem=str(exc).rstrip("."))
        ) from exc
    except expat.ExpatError as exc:
        raise ImportRefused(
            _(
                "{file}: the XML spreadsheet is damaged at line {line}, column {column} ({error}). "
                "Open it in Excel, save it as .xlsx and upload that file."
            ).format(
                file=named(file_name),
                line=fmt_number(exc.lineno),
                column=fmt_number(exc.offset + 1),
                error=expat.ErrorString(exc.code),
            )
        ) from exc
    return finished(
        sheets.tables,
        limits,
        _("{file}: the XML spreadsheet holds no sheet with data.").format(file=named(file_name)),
        _(
            "{file} is an 'XML Spreadsheet 2003' file (an export to Excel written as XML); its "
            "sheets were read as Excel shows them."
        ).format(file=named(file_name)),
    )
