"""Read delimited text into a grid with Arrow's streaming CSV reader, every column as text.

Rows are numbered as records (blank lines included), so row N of the grid is record N of the
file. Rows of another width than the header, rows holding bytes that are not text and a quote
that is never closed are kept apart and reported by their number; the row bound is applied
while reading, so an oversized file costs one block of memory before it is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from kam_core.config import ImportLimits
from kam_core.i18n import N_, _, fmt_number
from kam_core.ingest.encoding import Bytes, detect_encoding, to_utf8, unicode_line_ends
from kam_core.ingest.errors import ImportRefused, few_numbers, megabytes, named
from kam_core.ingest.fields import NAME_INDEX, SYNONYM_INDEX, normalise_label
from kam_core.ingest.grid import SheetGrid, column_letter

DELIMITERS = (",", ";", "\t", "|")
# Bytes per block of the streaming reader: small, so the row bound is checked every few
# thousand rows (a block of blank lines is a million rows); a longer record widens it.
BLOCK = 1 << 20
# A file that cannot hold more records than the bound is read in blocks of this size: whole,
# in parallel, when the grid stays in memory; streamed into the reading worker's answer file
# otherwise (held whole, then written, the grid of a million rows cost 0.3-0.5 s more processor
# time and 150 MB more memory than written a block at a time as it is read).
WHOLE_BLOCK = 8 << 20
MAX_BLOCK = 64 << 20
SAMPLE = 1 << 20  # bytes looked at to choose the delimiter and the width
MAX_WIDTH = 65_536  # columns; four times Excel's 16,384, read with a note beyond max_columns
# Reasons travel from the reading worker as their English text and are translated where shown
# (WIDE_ROW is found where the header is known: validate.py).
BAD_BYTES = N_("the row holds bytes that are not text in the file's encoding (UTF-8)")
# A file in a code page not told apart here (Shift-JIS, GB18030): every row has such bytes.
NOT_TEXT = N_(
    "the row holds bytes that are not text in the file's encoding; if the file is in another "
    "encoding, save it as 'CSV UTF-8' (Excel: File > Save As) and import that file"
)
OPEN_QUOTE = N_("a quote opened in this row is never closed; the row cannot be split into cells")
LONG_LINE = N_("the row is longer than 1 MB; no row of a table is that long")
LONG_ROW = 1 << 20  # characters of an odd row kept for splitting
LONG_MARK = "\x00long\x00"  # marks a row cut to LONG_ROW (NUL cannot come from the reader)
WIDE_ROW = N_(
    "the row holds values beyond the header's last column: a separator inside a value without "
    "quotes (such as 1,000 in a comma-separated file) shifts the values after it"
)

csv.field_size_limit(sys.maxsize)  # the sample and the few rows read here are bounded already


def _records(text: str, delimiter: str, limit: int = 50) -> list[list[str]]:
    """The first records of a sample, split the way the reader will split them."""
    out = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if row:
                out.append(row)
            if len(out) >= limit:
                break
    except csv.Error:
        pass  # a quote left open in the sample: judge by the records before it
    return out


# R's write.table: a first line of quoted labels separated by single spaces.
_QUOTED_LABELS = re.compile(r'[\r\n]*"[^"\r\n]*"(?: "[^"\r\n]*")+ ?(?:\r?\n|\r|$)')


def _spaced(text: str) -> bool:
    """True when the text is R's write.table: quoted labels separated by spaces, and every
    record of the sample as wide as the header or (the rows' names first) one field wider."""
    if not _QUOTED_LABELS.match(text):
        return False
    widths = [len(r) for r in _records(text, " ")]
    rows = set(widths[1:])
    return len(rows) == 1 and rows <= {widths[0], widths[0] + 1}


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first records into the most consistent columns."""
    if _spaced(text):
        return " "
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        if delim not in text:
            continue
        # Records of one field (titles, blank lines) split alike under any separator.
        counts = [len(r) for r in _records(text, delim) if len(r) > 1]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        # The most records of one width first, then the widest: split at the commas of names
        # ('Acme, Inc, Tel Aviv'), a ';' file's rows are wider than its header.
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delim, score
    return best


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A quote never closed inside the lines another one swallowed, and so on: past this depth the
# lines are split one by one.
_DEPTH = 8


def _split_row(text: str, delimiter: str) -> list[str | None]:
    row = next(csv.reader([text], delimiter=delimiter), [])
    return [v if v != "" else None for v in row]


class _Collector:
    """Rows of another width than the header: kept with their record number and text."""

    def __init__(self, limit: int, keep: bool = True, delimiter: str = ",") -> None:
        """Collect up to limit rows; keep: their text too (the numbered pass places them)."""
        self.rows: list[tuple[int | None, str]] = []
        # Plain rows short of fields (exports leave off empty trailing ones), padded with
        # separators: read together by the reader, not split one by one (_place).
        self.short: list[tuple[int, str]] = []
        self.limit = limit
        self.keep = keep
        self.delimiter = delimiter
        self.widths: Counter[int] = Counter()  # the rows collected, by their number of fields

    @property
    def count(self) -> int:
        """Rows collected."""
        return len(self.rows) + len(self.short)

    def __call__(self, row: pcsv.InvalidRow) -> str:
        # The first pass only learns that there are such rows: their text (a quote never
        # closed may swallow the whole file) is taken by the numbered pass alone.
        text = row.text if self.keep else ""
        self.widths[row.actual_columns] += 1
        missing = row.expected_columns - row.actual_columns
        if self.keep and row.number is not None and missing > 0 and _plain(text):
            self.short.append((row.number, text + self.delimiter * missing))
            if self.count > self.limit:
                raise ImportRefused("too many rows")
            return "skip"
        if len(text) > LONG_ROW and not _LINE_BREAK.search(text, 0, LONG_ROW):
            # Split whole, a line of millions of separators fills the memory ceiling: keep its
            # start, and the row is rejected as too long. A record holding line breaks is a
            # quote never closed that swallowed the lines after it: kept whole, they are read
            # again (_place).
            text = LONG_MARK + text[:LONG_ROW]
        self.rows.append((row.number, text))
        if self.count > self.limit:
            raise ImportRefused("too many rows")
        return "skip"


def _plain(text: str) -> bool:
    """A row of one line without quotes, short enough to pad and read again as it is."""
    return len(text) <= LONG_ROW and not any(c in text for c in '"\r\n')


def count_byte(data: Bytes, byte: bytes) -> int:
    """How many times byte occurs, a block at a time (a mapped file has no count)."""
    # Compared where they lie, not sliced: a slice of a mapped file is a copy (0.07 s against
    # 0.015 s at 150 MB).
    view = np.frombuffer(data, dtype=np.uint8) if len(data) else np.zeros(0, np.uint8)
    value = byte[0]
    return sum(
        int(np.count_nonzero(view[at : at + BLOCK] == value)) for at in range(0, len(view), BLOCK)
    )


def _line_bound(data: Bytes) -> int:
    """More than the records the text can hold: one per line break (CR, LF or both) plus one."""
    # find, not "in": a mapped file has no search of its own for "in" and tests every byte.
    return count_byte(data, b"\n") + (count_byte(data, b"\r") if data.find(b"\r") >= 0 else 0) + 1


def _options(
    width: int, read: int, delimiter: str, rows: _Collector | None, numbered: bool, block: int
) -> dict:
    """The reader's options: every column as text, rows of another width to rows."""
    names = [f"c{i}" for i in range(width)]
    return dict(
        read_options=pcsv.ReadOptions(
            column_names=names, block_size=block, use_threads=not numbered
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=rows,
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names[:read]},
            include_columns=names[:read],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
            # The text is UTF-8 already: to_utf8 checked it, or wrote it out from decoded text.
            check_utf8=False,
        ),
    )


def _stream(
    data: Bytes,
    width: int,
    read: int,
    delimiter: str,
    rows: _Collector,
    numbered: bool,
    block: int,
    streamed: bool = False,
):
    """The records block by block, or all at once when the row bound cannot be passed."""
    # Records never outnumber line breaks, so the bound holds without watching each block;
    # the numbered pass (rows of another width) stays serial, as its numbers need.
    whole = not numbered and _line_bound(data) <= rows.limit
    if whole:
        block = min(max(block, WHOLE_BLOCK), MAX_BLOCK)
    options = _options(width, read, delimiter, rows, numbered, block)
    source = pa.BufferReader(pa.py_buffer(data))  # the bytes where they are, not a copy
    if whole and not streamed:
        return _drained(pcsv.read_csv(source, **options).to_batches())
    # Streamed into a file, one block at a time is in memory: each is written as the next is
    # parsed, and the memory of one serves the next (held whole, the grid's fresh pages and
    # their copy into the file cost more than the parallel parse saved).
    return pcsv.open_csv(source, **options)


# A quote inside a quoted value written \" (MySQL's and some other exports' escape) and
# followed by more of the value: in standard CSV it would end the value there.
_ESCAPED_QUOTE = re.compile(rb'\\"[^,;\t|\r\n"]')
_ESCAPE_HELD = "\ue000".encode()  # a character of private use holds \\ while \" is rewritten


def _backslash_quotes(body: Bytes) -> tuple[Bytes, bool]:
    """The text with quotes escaped by a backslash written as doubled quotes, and whether."""
    # One byte is found at memory speed, a pair of them far slower (0.18 s at 150 MB): the
    # backslash first, which most files do not hold.
    if body.find(b"\\") < 0 or body.find(b'\\"') < 0 or not _ESCAPED_QUOTE.search(body):
        return body, False
    # Line breaks stay where they are, so rows keep their numbers.
    text = bytes(body)
    if text.find(b"\\\\") < 0 or text.find(_ESCAPE_HELD) >= 0:
        return text.replace(b'\\"', b'""'), True  # no \\ to keep apart (or no room to)
    text = text.replace(b"\\\\", _ESCAPE_HELD).replace(b'\\"', b'""')
    return text.replace(_ESCAPE_HELD, b"\\"), True


def _drained(batches: list[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The batches one by one, each let go once taken (written, its memory can go)."""
    batches.reverse()
    while batches:
        yield batches.pop()


# Hebrew and Russian share the code pages' letter bytes: a header the other one reads as
# field names ('дата,клиент,выручка', written without a capital) decides.
_TWINS = {"cp1255": "cp1251", "cp1251": "cp1255"}


def _by_header(data: Bytes, encoding: str) -> str:
    """The code page whose reading of the first lines names more fields, the guess on a tie."""
    twin = _TWINS.get(encoding)
    if twin is None:
        return encoding
    sample = bytes(data[:SAMPLE])
    if _fields_named(sample.decode(twin, "replace")) > _fields_named(
        sample.decode(encoding, "replace")
    ):
        return twin
    return encoding


def _fields_named(text: str) -> int:
    """How many cells of the first lines are a field's name or synonym."""
    found = 0
    for line in text.splitlines()[:30]:
        for cell in re.split(r"[,;\t|]", line)[:100]:
            label = normalise_label(cell.strip().strip('"'))
            found += label in NAME_INDEX or label in SYNONYM_INDEX
    return found


def read_csv(
    data: Bytes, file_name: str, limits: ImportLimits, target: Path | None = None
) -> tuple[SheetGrid, list[str]]:
    """Read delimited text into one grid; return it with notes on what was read and how.

    With a target, the records go to that Arrow IPC file as they are read (the reading worker's
    answer) and the grid's table is mapped from it, instead of a whole table in memory.
    """
    encoding = _by_header(data, detect_encoding(data))
    # Lines ended by NEL alone: to_utf8 reads each as a line break, and a note says so.
    ends = unicode_line_ends(data) if encoding in ("utf-8", "utf-8-sig") else []
    nel = "U+0085" in ends
    separators = [end for end in ends if end != "U+0085"]
    body, bad, other = to_utf8(data, encoding)
    del data
    body, escaped = _backslash_quotes(body)
    head = body[:SAMPLE].decode("utf-8", errors="replace").removeprefix("\ufeff")
    if len(body) > SAMPLE:
        if "\n" not in head and "\r" not in head:
            # One line of megabytes: its fields would be read as hundreds of thousands of
            # columns (a line of "a,a,a..." filled the reader's whole memory ceiling).
            raise ImportRefused(
                _(
                    "{file}: the first {size} of the file hold no line break; it is not a table "
                    "this app can read."
                ).format(file=named(file_name), size=megabytes(SAMPLE))
            )
        head = head[: head.rfind("\n") + 1] or head
    delimiter = sniff_delimiter(head)
    sample = _records(head, delimiter)
    wrapped = _lines_wrapped(head, sample)
    if wrapped:
        # Each line one quoted value holding the row ('"2024-01-05,Acme,100"'): a file saved
        # again after its rows were pasted into one column. Read as one column, it had none.
        body = _unwrapped(body)
        head = _unwrapped(head.encode()).decode()
        delimiter = sniff_delimiter(head)
        sample = _records(head, delimiter)
    # A record that swallowed lines (a quote never closed) says nothing of the usual width.
    width = _usual_width(Counter(len(r) for r in sample if not any("\n" in v for v in r)))
    if width > MAX_WIDTH:
        # The reader splits every field of a line, read or not: 400,000 columns of 20 rows
        # filled its whole memory ceiling.
        raise ImportRefused(
            _(
                "{file}: the file is {columns} columns wide; no spreadsheet has more than 16,384 "
                "columns, and this app reads the first {limit}. It is not a table this app can "
                "read."
            ).format(
                file=named(file_name),
                columns=fmt_number(width),
                limit=fmt_number(limits.max_columns),
            )
        )
    # Spaced as R writes, a header one label short is the rows' names' (all rows are one
    # field wider: _spaced), whatever they are: rows kept after a filter are numbered 3, 7, 12.
    row_names = _row_names(sample, width) or (delimiter == " " and len(sample[0]) == width - 1)
    if row_names:
        # R's write.table: the header has no label over the rows' names. An empty first label
        # puts every name over its own column.
        at = 3 if body[:3] == b"\xef\xbb\xbf" else 0
        body = body[:at] + delimiter.encode() + body[at:]
    read = min(width, limits.max_columns)
    # One byte is found at memory speed ('="' took 0.3 s at 150 MB): only then are cells looked at.
    unwrap = body.find(b"=") >= 0
    args = (body, width, read, delimiter, limits, file_name)
    seen: Counter[int] = Counter()
    # Columns aligned by spaces (a report printed to a text file, Excel's .prn): no separator
    # splits the lines, the positions where every row has a space do.
    spans = _fixed_spans(head) if width == 1 and not wrapped else None
    if spans is not None:
        delimiter = " "
        batches = _fixed_table(body, spans, limits, file_name)
    else:
        batches = _read_batches(*args, False, unwrap=unwrap, target=target, seen=seen)
    wider = _wider(seen, width) if batches is None else None
    if wider is not None:
        # Past the sample, most rows (or very many) have a field or a few more: read with
        # their width, the narrower rows being padded (a trailing separator from some line
        # on, a column without a header). Split by hand, a million such rows filled the
        # reader's whole memory ceiling.
        width, read = wider, min(wider, limits.max_columns)
        args = (body, width, read, delimiter, limits, file_name)
        batches = _read_batches(*args, False, unwrap=unwrap, target=target)
    if batches is None:  # rows of another width: read again, numbered, to put them in place
        batches = _read_batches(*args, True, unwrap=unwrap)
    table, widest, problems = batches
    utf8 = encoding.startswith("utf-8")  # with a byte-order mark or not
    if bad:
        problems.update(_bad_byte_rows(table, BAD_BYTES if utf8 else NOT_TEXT))
    name = file_name.rsplit("/", 1)[-1]
    shown = {"\t": _("tab"), " ": _("space")}.get(delimiter, delimiter)
    notes = [
        _("Read as text in {encoding}, columns separated by '{delimiter}'.").format(
            encoding=encoding, delimiter=shown
        )
    ]
    if not utf8 and not encoding.startswith("utf"):
        # A code page is told by the letters it makes; one of another alphabet (Greek,
        # Turkish, Baltic) reads as letters of the wrong one.
        notes.append(
            _(
                "The file is not in UTF-8: if names show the wrong letters, save it as "
                "'CSV UTF-8' (Excel: File > Save As) and import that file."
            )
        )
    if bad and utf8:
        notes.append(
            _(
                "Line(s) {lines} hold bytes that are not UTF-8 text; those rows are rejected, "
                "the rest is read as UTF-8."
            ).format(lines=few_numbers(bad))
        )
    elif bad:
        notes.append(
            _(
                "Line(s) {lines} hold bytes that are not text in {encoding}; those rows are "
                "rejected."
            ).format(lines=few_numbers(bad), encoding=encoding)
        )
    if nel:
        notes.append(
            _(
                "The lines end in NEL (U+0085), as in text converted from a mainframe's EBCDIC; "
                "each NEL was read as a line break."
            )
        )
    if separators:
        notes.append(
            _(
                "The lines end in the Unicode line or paragraph separator ({characters}), not "
                "in a line break; each was read as a line break."
            ).format(characters=", ".join(separators))
        )
    if spans is not None:
        notes.append(
            _(
                "The columns are aligned with spaces (fixed width), not separated: they were "
                "cut where every row has a space, into {count} columns."
            ).format(count=fmt_number(len(spans)))
        )
    if wrapped:
        notes.append(
            _(
                "Each line is written in quotes as a single value holding the whole row; the "
                "quotes around the lines were left out and each line read as a row."
            )
        )
    if escaped:
        notes.append(
            _(
                'Quotes inside values are written with a backslash (\\" as some databases '
                "export them); they were read as quotes."
            )
        )
    if other:
        notes.append(
            _(
                "Line(s) {lines} are written in UTF-8, the rest of the file in {encoding}; each "
                "line was read in its own."
            ).format(lines=few_numbers(other), encoding=encoding)
        )
    if row_names:
        notes.append(
            _(
                "The header line has one label fewer than the rows, whose first field numbers "
                "them (R writes its tables so): that first field was read as a column without a "
                "label."
            )
        )
    if widest > table.num_columns:
        notes.append(
            _(
                "The file is {columns} columns wide; only the first {limit} columns are read "
                "(the limit)."
            ).format(columns=fmt_number(widest), limit=fmt_number(table.num_columns))
        )
    if not _holds_values(table):
        raise ImportRefused(
            _("{file}: the file holds no values, only blank lines, spaces or separators.").format(
                file=named(file_name)
            )
        )
    letters = tuple(column_letter(i) for i in range(table.num_columns))
    path = target if target is not None and target.exists() else None  # streamed there
    grid = SheetGrid(name, table, 1, letters, problems=problems, path=path, delimiter=delimiter)
    return grid, notes


# Rows wider than the sample's width by up to this many fields, this many of them or more than
# the rows of that width, make the file's width.
MAX_EXTRA_FIELDS = 16
WIDER_ROWS = 10_000


def _wider(seen: Counter[int], width: int) -> int | None:
    """The width to read again with when many rows past the sample are a little wider."""
    wide = {w: count for w, count in seen.items() if width < w <= width + MAX_EXTRA_FIELDS}
    many = sum(wide.values())
    if not wide or (many < WIDER_ROWS and many <= seen[width]):
        return None
    return max(wide)


def _holds_values(table: pa.Table) -> bool:
    """True when some cell of the table holds more than blanks (its first rows, then all)."""
    # Unary kernels only: a scalar argument makes pyarrow import pandas, a quarter of a second
    # in every reading worker.
    for part in (table.slice(0, 1_000), table):
        for column in part.columns:
            if (pc.max(pc.utf8_length(pc.utf8_trim_whitespace(column))).as_py() or 0) > 0:
                return True
    return False


def _row_names(sample: list[list[str]], width: int) -> bool:
    """True when the header lacks the label of a first column numbering the rows 1, 2, 3..."""
    header, rows = (sample[0], sample[1:]) if sample else ([], [])
    if len(rows) < 2 or len(header) != width - 1 or any(len(r) != width for r in rows):
        return False
    firsts = [r[0].strip() for r in rows]
    if not all(f.isascii() and f.isdigit() and len(f) < 10 for f in firsts):
        return False
    if any(not r[-1].strip() for r in rows):
        return False  # a trailing separator (an empty last field), not a column of names
    return all(int(b) == int(a) + 1 for a, b in itertools.pairwise(firsts))


# A gap between aligned values: two spaces or more (a line of aligned columns has two).
_GAP = re.compile(r"\S {2,}(?=\S)")
_FIXED_SAMPLE = 200  # lines looked at for the columns' places


def _fixed_spans(head: str) -> list[tuple[int, int]] | None:
    """Where the columns of text aligned by spaces start and end (characters), from the
    sample's lines of aligned values: the places every such line leaves blank part them. A
    column under no label of the header (the first such line) belongs to the one before."""
    lines = [line.rstrip("\r") for line in head.split("\n")[:_FIXED_SAMPLE]]
    aligned = [line for line in lines if "\t" not in line and len(_GAP.findall(line)) >= 2]
    if len(aligned) < 3 or len(aligned) * 2 < sum(1 for line in lines if line.strip()):
        return None
    length = max(len(line) for line in aligned)
    filled = np.zeros(length, dtype=bool)
    for line in aligned:
        filled[: len(line)] |= np.frombuffer(line.encode("utf-32-le"), dtype="<u4") != 32
    edges = np.flatnonzero(np.diff(np.concatenate(([0], filled.astype(np.int8), [0]))))
    spans = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    header = aligned[0]
    merged: list[tuple[int, int]] = []
    for start, stop in spans:
        if merged and not header[start:stop].strip():
            merged[-1] = (merged[-1][0], stop)  # under no label: the column before's
        else:
            merged.append((start, stop))
    if len(merged) < 2:
        return None
    # Each column reaches to the next one's start: a value wider than the sample's is kept.
    starts = [start for start, _stop in merged]
    return list(zip([0, *starts[1:]], [*starts[1:], 1 << 30], strict=True))


def _fixed_table(
    body: Bytes, spans: list[tuple[int, int]], limits: ImportLimits, file_name: str
) -> tuple[pa.Table, int, dict[int, str]]:
    """The lines of a fixed-width text cut into their columns (blank values as nulls)."""
    text = bytes(body).removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    lines = pa.array(_LINE_BREAK.split(text))
    del text
    if len(lines) and not lines[-1].as_py():
        lines = lines.slice(0, len(lines) - 1)  # the break ending the last line
    if len(lines) > limits.max_rows:
        raise _too_many(file_name, limits)
    columns = {}
    for i, (start, stop) in enumerate(spans[: limits.max_columns]):
        cells = pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(lines, start, stop))
        columns[f"c{i}"] = pc.if_else(pc.equal(cells, ""), pa.scalar(None, pa.string()), cells)
    return pa.table(columns), len(spans), {}


def _lines_wrapped(head: str, sample: list[list[str]]) -> bool:
    """True when every line of the sample is one quoted value that holds a row: two fields or
    more under some separator, as many in most lines."""
    if len(sample) < 2 or any(len(r) != 1 for r in sample):
        return False
    lines = [line for line in _LINE_BREAK.split(head) if line.strip()]
    if len(lines) != len(sample):  # a value over two lines, or records past the sample
        return False
    if not all(len(line) > 1 and line[0] == '"' and line[-1] == '"' for line in lines):
        return False
    inner = "\n".join(r[0] for r in sample)
    widths = Counter(len(r) for r in _records(inner, sniff_delimiter(inner)))
    usual = _usual_width(widths)
    return usual >= 2 and widths[usual] * 10 >= len(sample) * 8


def _unwrapped(body: Bytes) -> bytes:
    """Each line's text without the quotes around it, the quotes inside it undoubled."""
    out = []
    for line in bytes(body).split(b"\n"):
        end = b"\r" if line.endswith(b"\r") else b""
        text = line[: len(line) - len(end)]
        mark = b"\xef\xbb\xbf" if text.startswith(b"\xef\xbb\xbf") else b""
        text = text[len(mark) :]
        if len(text) > 1 and text[:1] == b'"' and text[-1:] == b'"':
            text = text[1:-1].replace(b'""', b'"')
        out.append(mark + text + end)
    return b"\n".join(out)


def _usual_width(widths: Counter[int]) -> int:
    """The commonest number of fields (the wider on a tie), from rows counted by their width."""
    if not widths:
        return 1
    return max(widths, key=lambda w: (widths[w], w))


def _too_many(file_name: str, limits: ImportLimits) -> ImportRefused:
    """The refusal of a file of more rows than the bound."""
    return ImportRefused(
        _(
            "{file}: more than {limit} rows (blank lines count as rows); the limit is "
            "{limit} rows. Split the file and import the parts."
        ).format(file=named(file_name), limit=fmt_number(limits.max_rows))
    )


class _Batches:
    """Where the read records go: kept in memory, or written to an Arrow IPC file as they come."""

    def __init__(self, read: int, unwrap: bool, target: Path | None) -> None:
        """Collect batches of read text columns; unwrap: undo ="..." cells on the way."""
        self.schema = pa.schema([(f"c{i}", pa.string()) for i in range(read)])
        self.unwrap, self.target = unwrap, target
        self.kept: list[pa.RecordBatch] = []
        self.writer = None if target is None else pa.ipc.new_file(str(target), self.schema)

    def add(self, batch: pa.RecordBatch) -> None:
        """Take one batch (written at once when there is a file)."""
        if self.unwrap:
            batch = _excel_text_unwrapped(batch)
        if self.writer is None:
            self.kept.append(batch)
        else:
            self.writer.write_batch(batch)

    def table(self) -> pa.Table:
        """Every batch as one table: mapped from the file, or joined in memory."""
        if self.writer is None:
            return pa.Table.from_batches(self.kept, self.schema)
        self.writer.close()
        return pa.ipc.open_file(pa.memory_map(str(self.target))).read_all()

    def discard(self) -> None:
        """Forget what was read (the file too): the records are read again."""
        self.kept.clear()
        if self.writer is not None:
            self.writer.close()
            self.target.unlink(missing_ok=True)


def _read_batches(
    body,
    width,
    read,
    delimiter,
    limits,
    file_name,
    numbered,
    block=BLOCK,
    unwrap=False,
    target=None,
    depth=0,
    seen=None,
):
    """Stream the records; None when rows of another width need a numbered second pass.

    seen: filled with the rows read by their number of fields, when it returns None.
    """
    rows = _Collector(limits.max_rows, keep=numbered, delimiter=delimiter)
    # The numbered pass unwraps once its odd rows are in place (they are split apart).
    batches = _Batches(read, unwrap and not numbered, None if numbered else target)
    total = 0
    try:
        stream = _stream(body, width, read, delimiter, rows, numbered, block, target is not None)
        for batch in stream:
            total += batch.num_rows
            if total + rows.count > limits.max_rows:
                raise ImportRefused("too many rows")
            batches.add(batch)
    except pa.ArrowInvalid as exc:
        batches.discard()
        if "straddling" in str(exc) and block < MAX_BLOCK:  # a record longer than a block
            args = (body, width, read, delimiter, limits, file_name, numbered, block * 8)
            return _read_batches(*args, unwrap=unwrap, target=target)
        if "straddling" in str(exc):
            raise ImportRefused(
                _(
                    "{file}: one row of the file is longer than {size} (a cell holds at most "
                    "{limit} characters); the file is not a table this app can read."
                ).format(
                    file=named(file_name),
                    size=megabytes(MAX_BLOCK),
                    limit=fmt_number(limits.max_cell_chars),
                )
            ) from exc
        if "Empty CSV" in str(exc):  # nothing but a byte-order mark, padding or blanks
            raise ImportRefused(
                _("{file}: the file is empty.").format(file=named(file_name))
            ) from exc
        raise ImportRefused(
            _("{file}: the text cannot be split into rows ({error}).").format(
                file=named(file_name), error=exc
            )
        ) from exc
    except ImportRefused:
        batches.discard()
        raise _too_many(file_name, limits) from None
    if rows.count and not numbered:
        batches.discard()
        if seen is not None:
            seen.update(rows.widths)
            seen[width] += total
        return None
    table = batches.table()
    widest = width
    problems: dict[int, str] = {}
    if rows.count:

        def again(body: bytes) -> tuple[pa.Table, int, dict[int, str]]:
            """Records swallowed by a quote never closed, read as a file of their own."""
            args = (body, width, read, delimiter, limits, file_name)
            got = _read_batches(*args, False, depth=depth + 1)
            return got if got is not None else _read_batches(*args, True, depth=depth + 1)

        short = _padded_rows(rows.short, width, read, delimiter)
        if short is None:  # split by hand with the others
            rows.rows = sorted([*rows.rows, *rows.short], key=lambda r: r[0] or 0)
            short = _padded_rows([], width, read, delimiter)
        rows.short.clear()
        table, widest, problems = _place(
            table, rows.rows, short, delimiter, limits, again if depth < _DEPTH else None
        )
        if table.num_rows > limits.max_rows:  # records found in swallowed lines count too
            raise _too_many(file_name, limits)
    if unwrap and numbered:
        table = _excel_text_unwrapped(table)
    return table, widest, problems


def _padded_rows(
    short: list[tuple[int, str]], width: int, read: int, delimiter: str
) -> tuple[np.ndarray, pa.Table] | None:
    """Rows short of fields, padded with separators, read together: their numbers and cells.

    None when the reader does not read them one row each (they are split by hand then).
    """
    numbers = np.array([n for n, _ in short], dtype=np.int64)
    if not short:
        return numbers, pa.table({f"c{i}": pa.array([], pa.string()) for i in range(read)})
    body = "\n".join(text for _, text in short).encode("utf-8")
    options = _options(width, read, delimiter, None, False, WHOLE_BLOCK)
    options["parse_options"] = pcsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False)
    try:
        table = pcsv.read_csv(pa.BufferReader(pa.py_buffer(body)), **options)
    except pa.ArrowInvalid:
        return None
    return (numbers, table) if table.num_rows == len(short) else None


def _place(
    table: pa.Table,
    odd: list[tuple[int | None, str]],
    short: tuple[np.ndarray, pa.Table],
    delimiter: str,
    limits: ImportLimits,
    again: Callable[[bytes], tuple[pa.Table, int, dict[int, str]]] | None = None,
) -> tuple[pa.Table, int, dict[int, str]]:
    """Put the rows of another width back where they stand in the file, split by hand.

    A quote never closed swallows the lines after it into one record: that row is reported,
    and the lines it swallowed are read again as a file of their own (again), their records
    placed after it, so none is lost however many there are.
    """
    extra: list[list[str | None]] = []
    numbers: list[int] = []
    broken: list[int] = []
    long: list[int] = []
    # Swallowed lines read again: (first position, width, rows, problems)
    pieces: list[tuple[int, int, pa.Table, dict[int, str]]] = []
    shift = 0  # records found inside swallowed lines move the later ones down
    swallowed: list[tuple[int, int]] = []  # (number in the first reading, records found)
    for index, (number, text) in enumerate(odd):
        if number is not None:
            swallowed_at = number
            number += shift
        if text.startswith(LONG_MARK):
            long.append(len(numbers))
            text = text[len(LONG_MARK) :]
        split = None
        # One record of a megabyte or more is no row of a table but the lines a quote never
        # closed swallowed (the whole file, perhaps): splitting it by hand held four bytes per
        # character twice over.
        if len(text) <= LONG_ROW:
            try:
                rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
                cells = list(itertools.islice(rows, 2))  # two records say it is not one
                split = [[v if v != "" else None for v in cells[0]]] if len(cells) == 1 else None
            except csv.Error:
                split = None
        brk = _LINE_BREAK.search(text) if split is None else None
        if brk is not None:
            first = text[: brk.start()]
            broken.append(len(numbers))
            numbers.append(number)
            extra.append([v or None for v in first.split(delimiter)])
            if again is not None and number is not None:
                rest = text[brk.end() :].encode("utf-8")
                odd[index] = (number, "")  # the swallowed text goes: its bytes are read again
                del text
                sub, sub_widest, sub_problems = again(rest)
                del rest
                pieces.append((number, sub_widest, sub, sub_problems))
                swallowed.append((swallowed_at, sub.num_rows))
                shift += sub.num_rows
                continue
            for k, line in enumerate(_LINE_BREAK.split(text[brk.end() :]), start=1):
                numbers.append(number + k if number is not None else None)
                extra.append(_split_row(line, delimiter))
            continue
        numbers.append(number)
        extra.append(split[0] if split else _split_row(text, delimiter))
    widest = max([table.num_columns, *(len(r) for r in extra), *(w for _, w, _, _ in pieces)])
    width = min(widest, limits.max_columns)
    names = [f"c{i}" for i in range(width)]
    columns = [
        pa.array([r[i] if i < len(r) else None for r in extra], pa.string()) for i in range(width)
    ]
    split_rows = pa.table(dict(zip(names, columns, strict=True)))
    short_at, short_rows = short  # rows short of fields, read together (_padded_rows)
    if swallowed:  # records found in swallowed lines move the later short rows down
        before = np.array([n for n, _ in swallowed], dtype=np.int64)
        moved = np.concatenate(([0], np.cumsum([k for _, k in swallowed])))
        short_at = short_at + moved[np.searchsorted(before, short_at, side="left")]
    pieces_rows = (t for _, _, t, _ in pieces)
    tables = [_widened(t, names) for t in (table, split_rows, short_rows, *pieces_rows)]
    odd_rows = sum(t.num_rows for t in tables[1:])
    total = table.num_rows + odd_rows
    known = [n for n in numbers if n is not None]
    at = np.concatenate(
        [
            np.asarray(numbers if len(known) == len(numbers) else [], dtype=np.int64) - 1,
            short_at - 1,
            *(np.arange(p, p + t.num_rows, dtype=np.int64) for p, _, t, _ in pieces),
        ]
    )
    if len(at) != odd_rows or (
        len(at) and (at.min() < 0 or at.max() >= total or len(np.unique(at)) != len(at))
    ):
        at = np.arange(table.num_rows, total)  # numbers unknown: keep them at the end
    order = np.empty(total, dtype=np.int64)
    placed = np.zeros(total, dtype=bool)
    placed[at] = True
    order[at] = np.arange(table.num_rows, total)
    order[~placed] = np.arange(table.num_rows)
    whole = pa.concat_tables(tables).take(pa.array(order))
    problems = {int(at[k]): OPEN_QUOTE for k in broken}
    problems.update({int(at[k]): LONG_LINE for k in long})
    offset = len(extra) + short_rows.num_rows
    for _first, _width, sub, sub_problems in pieces:
        problems.update({int(at[offset + k]): why for k, why in sub_problems.items()})
        offset += sub.num_rows
    return whole, widest, problems


def _widened(table: pa.Table, names: list[str]) -> pa.Table:
    """The table with columns named names: missing ones as nulls, those beyond dropped."""
    columns = [
        table.column(i) if i < table.num_columns else pa.nulls(table.num_rows, pa.string())
        for i in range(len(names))
    ]
    return pa.Table.from_arrays(columns, names=names)


def _excel_text_unwrapped(table: pa.RecordBatch | pa.Table) -> pa.RecordBatch | pa.Table:
    """Cells written ="00123" (how exports keep Excel from reading a code as a number) as 00123."""
    columns = []
    for column in table.columns:
        wrapped = pc.and_(pc.starts_with(column, '="'), pc.ends_with(column, '"'))
        if pc.any(wrapped).as_py():
            column = pc.if_else(wrapped, pc.utf8_slice_codeunits(column, 2, -1), column)
        columns.append(column)
    return type(table).from_arrays(columns, names=table.schema.names)


def _bad_byte_rows(table: pa.Table, reason: str) -> dict[int, str]:
    """Rows holding the replacement character where invalid bytes stood."""
    mask = np.zeros(table.num_rows, dtype=bool)
    for column in table.columns:
        found = pc.fill_null(pc.match_substring(column, "\ufffd"), False)
        mask |= np.asarray(found, dtype=bool)
    return {int(i): reason for i in np.flatnonzero(mask)}
