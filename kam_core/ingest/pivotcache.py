"""The rows a workbook keeps only in a pivot table's cache, read as a sheet.

A reporting tool may write a pivot table with its source rows in the pivot cache and no cells
at all, for Excel to lay the table out when the file is opened (refreshOnLoad); the source
sheet may also have been deleted after the pivot table was made. Every sheet then reads as
empty, and the file was refused as having no data. When every sheet is empty, each cache's
records are read as a sheet named after its source sheet: a header of the cache's fields and a
row a record, as they were when the cache was last refreshed.

Read with expat as it streams (no DOCTYPE, so no entity expands), bounded as sheets are: the
rows per sheet, the columns read, and the text the records' shared items fill.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.parsers import expat

import pyarrow as pa

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.extent import xml_parser
from kam_core.ingest.grid import SheetGrid, column_letter

_DEFINITION = re.compile(r"(?:^|/)pivotcachedefinition[^/]*\.xml$")
_TARGET = re.compile(rb"""\bTarget\s*=\s*["']([^"'<>]{1,1000})["']""")
_RECORDS_TYPE = b"pivotCacheRecords"
_STEP = 1 << 20
_BATCH = 65_536  # rows held as Python text before they become Arrow columns
_VALUES = {"n", "s", "d", "b", "e"}


def _local(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _value(kind: str, value: str) -> str | None:
    if kind == "d":  # 2024-01-15T00:00:00: the date as the reader gives dates
        day, _t, time = value.partition("T")
        return day if time.strip("0:.Z") == "" else f"{day} {time}"
    if kind == "b":
        return "TRUE" if value in ("1", "true") else "FALSE"
    return value


class _Definition:
    """A cache's fields: their names, which hold record values, and their shared items."""

    def __init__(self) -> None:
        self.source = ""
        self.names: list[str] = []
        self.in_records: list[bool] = []
        self.items: list[list[str | None]] = []
        self._field = -1
        self._depth_items = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = _local(tag)
        if tag == "worksheetSource":
            self.source = attrs.get("sheet", "") or attrs.get("name", "")
        elif tag == "cacheField":
            self.names.append(attrs.get("name", ""))
            self.in_records.append(attrs.get("databaseField", "1") not in ("0", "false"))
            self.items.append([])
            self._field = len(self.names) - 1
        elif tag == "sharedItems":
            self._depth_items = True
        elif self._depth_items and self._field >= 0 and (tag in _VALUES or tag == "m"):
            self.items[self._field].append(None if tag == "m" else _value(tag, attrs.get("v", "")))

    def end(self, tag: str) -> None:
        tag = _local(tag)
        if tag == "sharedItems":
            self._depth_items = False
        elif tag == "cacheField":
            self._field = -1


class _Records:
    """A cache's records as text columns, bounded as a sheet's cells are."""

    def __init__(self, book: _Definition, file_name: str, sheet: str, limits: ImportLimits):
        self.fields = [i for i, kept in enumerate(book.in_records) if kept]
        self.width = min(len(self.fields), limits.max_columns)
        self.items = [book.items[i] for i in self.fields]
        self.names = [book.names[i] for i in self.fields]
        self.limits, self.file_name, self.sheet = limits, file_name, sheet
        self.rows = 0
        self.chars = 0
        self._at = -1  # the field of the record being read, -1 outside a record
        self._row: list[str | None] = []
        self._pending: list[list[str | None]] = [[] for _ in range(self.width)]
        self.columns: list[list[pa.Array]] = [[] for _ in range(self.width)]

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = _local(tag)
        if tag == "r":
            self._at, self._row = 0, []
            return
        if self._at < 0:
            return
        if tag in _VALUES or tag in ("m", "x"):
            if self._at < self.width:
                if tag == "x":
                    value = self._shared(self._at, attrs.get("v", ""))
                else:
                    value = None if tag == "m" else _value(tag, attrs.get("v", ""))
                self._row.append(value)
                self.chars += len(value) if value else 0
            self._at += 1

    def end(self, tag: str) -> None:
        if _local(tag) != "r" or self._at < 0:
            return
        self._at = -1
        self._row += [None] * (self.width - len(self._row))
        for column, value in zip(self._pending, self._row, strict=True):
            column.append(value)
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise ImportRefused(
                _(
                    "{file}, sheet '{sheet}': more than {limit} rows; the limit is {limit} rows "
                    "per sheet. Split the file and import the parts."
                ).format(
                    file=named(self.file_name),
                    sheet=named(self.sheet),
                    limit=fmt_number(self.limits.max_rows),
                )
            )
        if self.chars > self.limits.max_text_chars:
            raise ImportRefused(
                _(
                    "{file}: its cells repeat shared text {total} characters long in all; the "
                    "limit is {limit}. A few long texts are copied into very many cells (the file "
                    "may be built to exhaust memory). Clear those cells and save again."
                ).format(
                    file=named(self.file_name),
                    total=fmt_number(self.chars),
                    limit=fmt_number(self.limits.max_text_chars),
                )
            )
        if self._pending and len(self._pending[0]) >= _BATCH:
            self.flush()

    def _shared(self, field: int, index: str) -> str | None:
        items = self.items[field]
        if not index.isdigit() or int(index) >= len(items):
            raise ImportRefused(
                _(
                    "{file}: the pivot table's data refers to item {index} of field '{field}', "
                    "which holds {count}: the file is damaged. Open it in Excel or LibreOffice, "
                    "save it again and upload that file."
                ).format(
                    file=named(self.file_name),
                    index=named(index),
                    field=named(self.names[field]),
                    count=fmt_number(len(items)),
                )
            )
        return items[int(index)]

    def flush(self) -> None:
        for column, pending in zip(self.columns, self._pending, strict=True):
            if pending:
                column.append(pa.array(pending, pa.string()))
                pending.clear()


def _parse(
    archive: zipfile.ZipFile, name: str, handler: _Definition | _Records, file_name: str
) -> None:
    parser = xml_parser()
    parser.buffer_text = True
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    try:
        with archive.open(name) as part:
            while chunk := part.read(_STEP):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ImportRefused(
            _("{file}, part {part}: not well-formed XML ({error}).").format(
                file=named(file_name),
                part=named(name),
                error=expat.ErrorString(exc.code),
            )
        ) from None


def _records_part(archive: zipfile.ZipFile, names: dict[str, str], definition: str) -> str | None:
    """The records part a cache definition's relationships point at."""
    folder, base = posixpath.split(definition)
    rels = names.get(posixpath.join(folder, "_rels", base + ".rels").lower())
    if rels is not None:
        with archive.open(rels) as part:
            body = part.read(1 << 20)
        for tag in re.findall(rb"<[^<>]{0,2000}>", body):
            target = _TARGET.search(tag)
            if _RECORDS_TYPE in tag and target:
                path = posixpath.normpath(posixpath.join(folder, target.group(1).decode()))
                return names.get(path.lstrip("/").lower())
    # Without relationships: the records beside their definition, as Excel names them.
    return names.get(definition.lower().replace("pivotcachedefinition", "pivotcacherecords"))


def cache_sheets(data: bytes, file_name: str, limits: ImportLimits) -> list[SheetGrid]:
    """Each pivot cache's records as a sheet (none when the workbook keeps no records)."""
    if not data.startswith(b"PK"):
        return []
    grids: list[SheetGrid] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {info.filename.lower(): info.filename for info in archive.infolist()}
        for low in sorted(names):
            if not _DEFINITION.search(low):
                continue
            definition = names[low]
            records = _records_part(archive, names, definition)
            if records is None:
                continue
            book = _Definition()
            _parse(archive, definition, book, file_name)
            sheet = book.source or _("Pivot table data {number}").format(number=len(grids) + 1)
            rows = _Records(book, file_name, sheet, limits)
            if not rows.width:
                continue
            _parse(archive, records, rows, file_name)
            rows.flush()
            header = [book.names[i] for i in rows.fields[: rows.width]]
            table = pa.table(
                {
                    f"c{i}": pa.concat_arrays([pa.array([header[i]], pa.string()), *column])
                    for i, column in enumerate(rows.columns)
                }
            )
            letters = tuple(column_letter(i) for i in range(rows.width))
            grids.append(SheetGrid(sheet, table, 1, letters))
    return grids


def cache_note(grids: list[SheetGrid]) -> str:
    """The note saying where the rows of the sheets read from pivot caches came from."""
    return _(
        "The workbook's sheets hold no cells; the rows of sheet(s) {sheets} were read from the "
        "data kept with its pivot table (its cache), as it stood when the pivot table was last "
        "refreshed."
    ).format(sheets=", ".join(f"'{named(g.name)}'" for g in grids[:10]))
