"""Tables of a web page saved with a spreadsheet's name (an "Excel" export written as HTML).

Many reporting tools export "to Excel" as an HTML table (or a web archive, MHTML) named .xls;
Excel opens it after a warning. Each table becomes a sheet of text cells, read as a browser
shows them: whitespace collapsed, a cell spanning rows or columns placed as Excel places it.
The page is parsed by libxml2's HTML parser (lxml), linear in the page; nothing is fetched or
run. (The standard library's parser takes quadratic time on some broken pages: 30 KB of
unclosed tags, 11 s.)
"""

from __future__ import annotations

import codecs
import email
import email.policy
import math
import re

import numpy as np
import pyarrow as pa
from lxml import etree

from kam_core.config import ImportLimits
from kam_core.i18n import N_, _, fmt_number, ngettext
from kam_core.ingest.encoding import decode_text
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.grid import SheetGrid, column_letter
from kam_core.ingest.guard import Bytes, wide_encoding

LONG_CELL = N_("a cell holds more than 32,767 characters, more than a spreadsheet cell holds")
# Rows are turned into Arrow columns this many at a time: Python strings of a whole large
# table would take several times the file's size.
_CHUNK = 65_536
# The HTML standard's own bounds on spans.
_MAX_COLSPAN = 1_000
_MAX_ROWSPAN = 65_534
_MOST_FOOT = 1_000  # footer rows kept back to go below the body
# A browser shows a no-break space (&nbsp;, written for layout) as a space.
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")
_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.I)


def read_web_tables(
    data: Bytes, file_name: str, limits: ImportLimits, archive: bool = False
) -> tuple[list[SheetGrid], list[str]]:
    """Every table of a web page (or of the pages of a web archive) as a grid, and notes."""
    pages = _archive_pages(bytes(data), file_name) if archive else [_decoded(bytes(data))]
    tables: list[TableRows] = []
    for page in pages:
        target = _Tables(limits, file_name, len(tables))
        parser = etree.HTMLParser(
            target=target, no_network=True, recover=True, remove_comments=True, remove_pis=True
        )
        for at in range(0, len(page), 1 << 20):  # a megabyte at a time: rows as they come
            parser.feed(page[at : at + (1 << 20)])
        parser.close()
        tables.extend(target.tables)
    return finished(
        tables,
        limits,
        _("{file}: the web page holds no table with data.").format(file=named(file_name)),
        _(
            "{file} is a web page saved with a spreadsheet's name (an export to Excel written as "
            "HTML); its tables were read as a browser shows them, each as a sheet."
        ).format(file=named(file_name)),
    )


def finished(
    tables: list[TableRows], limits: ImportLimits, empty: str, read: str
) -> tuple[list[SheetGrid], list[str]]:
    """The filled tables as grids with the notes (read, then cells cut); refused as empty."""
    grids = [t.grid() for t in tables if t.filled]
    if not grids:
        raise ImportRefused(empty)
    notes = [read]
    cut = sum(t.cut for t in tables)
    if cut:
        notes.append(
            ngettext(
                "{count} cell beyond column {limit} was left out; the limit is {limit} columns.",
                "{count} cells beyond column {limit} were left out; the limit is {limit} columns.",
                cut,
            ).format(count=fmt_number(cut), limit=fmt_number(limits.max_columns))
        )
    return grids, notes


def _decoded(data: bytes, charset: str | None = None) -> str:
    """The page as text: by its byte-order mark, else its declared character set, else as a
    CSV's (encoding.decode_text)."""
    marked = data[:3] == b"\xef\xbb\xbf" or wide_encoding(data[:4096]) is not None
    declared = None if marked else _codec(charset) or _declared(data[:4096])
    if declared:
        return data.decode(declared, errors="replace")
    return decode_text(data)[0]


def _declared(head: bytes) -> str | None:
    """The character set a page declares in its first bytes, when Python knows it."""
    found = _CHARSET.search(head)
    codec = _codec(found.group(1).decode("ascii")) if found else None
    # A page whose tag can be read byte by byte is not in UTF-16 or UTF-32, whatever it
    # declares (browsers ignore such a declaration).
    return None if codec and codec.startswith(("utf-16", "utf-32")) else codec


def _codec(name: str | None) -> str | None:
    """Python's name for a character set, None when it does not know it (or it is UTF-7, which
    no browser reads: '1+ADk-00' was stored as 1,900)."""
    try:
        codec = codecs.lookup(name).name if name else None
    except LookupError:
        return None
    return None if codec == "utf-7" else codec


def _archive_pages(data: bytes, file_name: str) -> list[str]:
    """The HTML pages of a web archive, decoded."""
    pages = []
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() != "text/html":
                continue
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                pages.append(_decoded(payload, part.get_content_charset()))
    except RecursionError as exc:  # the parser and walk() go down one call per level
        raise ImportRefused(
            _(
                "{file}: the web archive nests its parts hundreds of levels deep; a saved web "
                "page never does. Open it in a browser or Excel, save it again and upload that "
                "file."
            ).format(file=named(file_name))
        ) from exc
    if not pages:
        raise ImportRefused(
            _("{file}: the web archive holds no web page.").format(file=named(file_name))
        )
    return pages


class TableRows:
    """One table's cells, row by row, turned into Arrow columns a chunk at a time."""

    def __init__(
        self, number: int, limits: ImportLimits, file_name: str, name: str | None = None
    ) -> None:
        self.name = name if name is not None else _("Table {number}").format(number=number)
        self.limits = limits
        self.file_name = file_name
        self.rows: list[list[str | None]] = []  # the rows of the chunk being filled
        self.chunks: list[tuple[int, list[pa.Array]]] = []  # (rows, columns)
        self.width = 0
        self.count = 0  # rows finished
        self.filled = False
        self.past = 0  # the column after the row's last cell beyond the columns read
        # (column, factor) -> cells whose shown figure is their x:num value divided by factor
        self.scaled: dict[tuple[int, int], int] = {}
        self.hidden = False  # an XML Spreadsheet's sheet Excel does not show
        self.cut = 0
        self.problems: dict[int, str] = {}
        self.merges: list[tuple[int, int, int]] = []
        self.row: list[str | None] | None = None
        self.cell: list[str] | None = None
        self.cell_at = 0
        self.colspan = 1
        self.rowspan = 1
        self.number: str | None = None  # the cell's x:num (Excel's web page): its value
        self.spans: dict[int, int] = {}  # column -> last row a cell from above still covers
        self.merged: dict[int, int] = {}  # column -> its last merge (index in merges) this group
        # A table's footer (<tfoot>, which HTML 4 writes before the body) is shown below the
        # body: its rows wait here until the table ends (a few; past _MOST_FOOT, read in place).
        self.in_foot = False
        self.foot: list[tuple[list[str | None], str | None]] = []

    def start_row(self) -> None:
        self.end_row()
        self.row = []
        self.past = 0

    def start_cell(
        self, colspan: int, rowspan: int, number: str | None = None, at: int | None = None
    ) -> None:
        """A cell starts: at its column when given (from 0), else after the row's last cell."""
        self.end_cell()
        self.number = number
        if self.row is None:
            self.row = []
            self.past = 0
        # past: where the row's last cell went when it fell beyond the columns read, so the
        # next cell does not walk every spanned column again (a span over all of them made
        # each cell of 60,000 rows walk 1,000 columns).
        at = max(len(self.row) if at is None else max(at, len(self.row)), self.past)
        while at < self.limits.max_columns and self.spans.get(at, -1) >= self.count:
            at += 1
        self.cell, self.cell_at, self.colspan, self.rowspan = [], at, colspan, rowspan

    def text(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)

    def end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        text = _SPACES.sub(" ", "".join(self.cell)).strip(" ")
        self.cell = None
        if (
            self.number is not None
            and len(text) <= _LONGEST_NUMBER
            and _SHOWN_NUMBER.fullmatch(text)
        ):
            # Excel's web page shows a number as formatted ('1,235' for 1,234,567 under
            # '#,##0,', '(100)' for -99.5) and writes its value in x:num.
            factor = _shown_scale(text, self.number)
            if factor:
                key = (self.cell_at, factor)
                self.scaled[key] = self.scaled.get(key, 0) + 1
            text = self.number
        at = self.cell_at
        if at >= self.limits.max_columns:
            self.cut += 1 if text else 0
            self.past = at + self.colspan
            return
        if len(text) > self.limits.max_cell_chars:
            self.problems[self.count] = LONG_CELL  # a footer's row: moved with it (end_row)
            text = text[: self.limits.max_cell_chars]
        while len(self.row) < at:
            self.row.append(None)
        self.row.append(text or None)
        self.filled = self.filled or bool(text)
        last = min(at + self.colspan, self.limits.max_columns)
        self.row.extend([None] * (last - at - 1))
        if self.rowspan > 1:
            for column in range(at, last):
                self.spans[column] = self.count + self.rowspan - 1
            if text and self.colspan == 1:
                self.merged[at] = len(self.merges)
                self.merges.append((at, self.count, self.count + self.rowspan - 1))

    def end_row(self) -> None:
        self.end_cell()
        if self.row is None:
            return
        row, self.row = self.row, None
        if self.in_foot and len(self.foot) < _MOST_FOOT:
            self.foot.append((row, self.problems.pop(self.count, None)))
            return
        self._add(row)

    def skip_rows(self, count: int) -> None:
        """count blank rows, added as one chunk of nulls (an XML Spreadsheet's ss:Index)."""
        self.end_row()
        if count <= 0:
            return
        self._flush()
        self.count += count
        self._check_rows()
        self.chunks.append((count, []))

    def end_group(self) -> None:
        """A row group (thead, tbody, tfoot) ends: a span reaching past it stops at its end."""
        self.end_row()
        # Each column spanned is cleared once, so the work is that of the cells that set spans.
        last = self.count - 1
        for index in self.merged.values():
            at, first, below = self.merges[index]
            if below > last:
                self.merges[index] = (at, first, last)
        self.merged.clear()
        self.spans.clear()

    def end_foot(self) -> None:
        """The footer's rows are over (</tfoot>, or the body starts)."""
        self.end_group()
        self.in_foot = False

    def finish(self) -> None:
        """The table ends: its footer's rows go below the body."""
        self.end_foot()
        foot, self.foot = self.foot, []
        for row, problem in foot:
            if problem is not None:
                self.problems[self.count] = problem
            self._add(row)

    def _add(self, row: list[str | None]) -> None:
        self.width = max(self.width, len(row))
        self.rows.append(row)
        self.count += 1
        self._check_rows()
        if len(self.rows) >= _CHUNK:
            self._flush()

    def _check_rows(self) -> None:
        if self.count > self.limits.max_rows:
            raise ImportRefused(
                _(
                    "{file}, sheet '{sheet}': more than {limit} rows; the limit is {limit} rows "
                    "per sheet. Split the file and import the parts."
                ).format(
                    file=named(self.file_name),
                    sheet=named(self.name),
                    limit=fmt_number(self.limits.max_rows),
                )
            )

    def _flush(self) -> None:
        if not self.rows:
            return
        width = max(len(r) for r in self.rows)
        columns = [[r[c] if c < len(r) else None for r in self.rows] for c in range(width)]
        arrays = [text_array(values) for values in columns]
        self.chunks.append((len(self.rows), arrays))
        self.rows = []

    def grid(self) -> SheetGrid:
        """The table as a sheet grid: row i of the table is the sheet's row i + 1."""
        self.finish()
        self._flush()
        width = max(self.width, 1)
        columns = []
        for c in range(width):
            parts = [
                arrays[c] if c < len(arrays) else pa.nulls(rows, pa.string())
                for rows, arrays in self.chunks
            ]
            columns.append(pa.chunked_array(parts, pa.string()))
        table = pa.table(columns, names=[f"c{i}" for i in range(width)])
        letters = tuple(column_letter(i) for i in range(width))
        grid = SheetGrid(self.name, table, 1, letters, problems=self.problems)
        for (col, factor), cells in self.scaled.items():
            if (
                col < width
                and cells >= 2
                and cells >= 0.5 * (len(table.column(col)) - 1 - table.column(col).null_count)
            ):
                grid.shown_scaled[col] = factor
        grid.merges = self.merges
        grid.hidden = self.hidden
        return grid


class _Tables:
    """The parser's target: collects the tables of a page; a table inside another is its own."""

    def __init__(self, limits: ImportLimits, file_name: str, before: int) -> None:
        self.limits = limits
        self.file_name = file_name
        self.before = before
        self.tables: list[TableRows] = []
        self.open: list[TableRows] = []
        self.hidden = 0  # inside <script>, <style> or <template>: not shown, not read

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.lower()
        if tag in ("script", "style", "template"):
            self.hidden += 1
            return
        if tag == "table":
            table = TableRows(self.before + len(self.tables) + 1, self.limits, self.file_name)
            self.tables.append(table)
            self.open.append(table)
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag == "tfoot":
            table.end_group()
            table.in_foot = True
        elif tag in ("tbody", "thead"):
            table.end_foot()
        elif tag == "tr":
            table.start_row()
        elif tag in ("td", "th"):
            table.start_cell(
                _span(attrs.get("colspan"), _MAX_COLSPAN),
                _span(attrs.get("rowspan"), _MAX_ROWSPAN),
                _value(attrs.get("x:num")),
            )
        elif tag in ("br", "p", "div", "li") and table.cell is not None:
            table.text(" ")

    def end(self, tag: str) -> None:
        tag = tag.lower()
        if tag in ("script", "style", "template"):
            self.hidden = max(0, self.hidden - 1)
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag == "table":
            table.finish()
            self.open.pop()
        elif tag == "tfoot":
            table.end_foot()
        elif tag in ("tbody", "thead"):
            table.end_group()
        elif tag == "tr":
            table.end_row()
        elif tag in ("td", "th"):
            table.end_cell()

    def data(self, data: str) -> None:
        if self.open and not self.hidden:
            self.open[-1].text(data)

    def comment(self, _text: str) -> None:
        """Comments are not shown."""

    def close(self) -> None:
        """Close what the page left open."""
        while self.open:
            self.open.pop().finish()


def text_array(values: list[str | None]) -> pa.Array:
    """Arrow text of Python strings, built from its buffers: pa.array imports pandas to look at
    what it is given, a quarter of a second in every reading worker."""
    count = len(values)
    encoded = [b"" if v is None else v.encode("utf-8", "replace") for v in values]
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=count), out=offsets[1:])
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=count)
    nulls = count - int(valid.sum())
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None
    buffers = [bitmap, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    # 64-bit offsets, then the usual type: a chunk of rows never holds 2 GB of text (the
    # worker's memory ceiling ends the read long before).
    wide = pa.Array.from_buffers(pa.large_string(), count, buffers, null_count=nulls)
    return wide.cast(pa.string())


# No shown number or x:num value is longer (text.LONGEST_FIGURE; not imported, for that module
# brings pandas into the reading worker).
_LONGEST_NUMBER = 64
# A number as a page shows it: figures with their separators, signs and currency around them;
# no letter, no date or time, no percent (those are read as shown).
_SHOWN_NUMBER = re.compile(r"[^\w/:%]*\d[\d.,'\s\u00a0\u202f]*[^\w/:%]*")


def _shown_scale(shown: str, value: str) -> int | None:
    """1,000 or 1,000,000 when a cell shows its value divided so ('1,235' for 1234567)."""
    figures = re.sub(r"[^\d.]", "", shown.replace(",", ""))
    try:
        number, full = abs(float(figures)), abs(float(value))
    except ValueError:
        return None
    for factor in (1_000, 1_000_000):
        if full >= factor and number and abs(full / factor - number) <= 1:
            return factor
    return None


def _value(number: str | None) -> str | None:
    """An x:num attribute's value when it is a finite number, else None."""
    text = (number or "").strip()
    try:
        return text if 0 < len(text) <= _LONGEST_NUMBER and math.isfinite(float(text)) else None
    except ValueError:
        return None


def _span(value: str | None, most: int) -> int:
    """A colspan or rowspan attribute as browsers read it (digits first, 1 if none)."""
    digits = re.match(r"\s*([0-9]{1,7})", value or "")
    number = int(digits.group(1)) if digits else 1
    return min(max(number, 1), most)
