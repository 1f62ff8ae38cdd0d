"""JSON lines (an object a line, as databases and web services export records), read as a
table: each object a row, each key a column. Files named .csv often hold them.

Arrow's JSON reader parses the lines; text that looks like a time stays the text written (a
time with its zone is the exporter's date, as in a CSV), and lists or objects inside a record
are left out with a note. Where Arrow would not keep a number as written (1e400, 1e-400, a code
of 20 digits, NaN), a blank line would shift the rows from the lines, a few bytes are not UTF-8
or it cannot read the file at all, the lines are read one by one with every value as its text.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number
from kam_core.ingest.csvread import BAD_BYTES
from kam_core.ingest.encoding import Bytes, is_utf8
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.grid import SheetGrid, column_letter

# An object on the first line, closed on it: '{"date": "2024-01-05", "client": "Acme"}'.
_FIRST_OBJECT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{[^\n]*\}\s*(?:\n|\Z)")
_ARRAY = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\[\s*\{")
# Blank lines: Arrow skips them, and the rows would no longer follow the lines.
_BLANK_LINE = re.compile(rb"\A[ \t\r]*\n|\n[ \t\r]*\n")
# An exponent past a double's smallest (1e-400 reads as 0).
_TINY = re.compile(rb"\d[eE]-\d{3}")
_EXACT = 2.0**53  # past it a double no longer holds every whole number (a 20-digit code)
# Lists and objects nest at most so deep: a record of data needs a few levels; Arrow's parser
# recurses per level and 100,000 of them crashed its reader.
MAX_DEPTH = 64
_OPEN = np.zeros(256, dtype=np.int8)
_OPEN[[ord("["), ord("{")]] = 1
_OPEN[[ord("]"), ord("}")]] = -1


def json_kind(data: Bytes) -> str | None:
    """'lines' for JSON lines, 'array' for one JSON array of records, else None."""
    head = bytes(data[:1_000_000])
    if _FIRST_OBJECT.match(head):
        return "lines"
    if _ARRAY.match(head):
        return "array"
    return None


def read_json_lines(
    data: Bytes, file_name: str, limits: ImportLimits
) -> tuple[SheetGrid, list[str]]:
    """The records of a JSON-lines file as one grid (the keys as its header row)."""
    if json_kind(data) == "array":
        raise ImportRefused(
            _(
                "{file}: the file is a JSON array of records, not a table. Export the records "
                "as CSV (or as JSON lines, an object a line) and import that file."
            ).format(file=named(file_name))
        )
    body = bytes(data[3:]) if bytes(data[:3]) == b"\xef\xbb\xbf" else data
    in_text = _check_depth(body, file_name)
    table, problems = None, {}
    # Arrow's parser recurses per level: brackets deep inside text go to the line reader,
    # whose recursion is caught.
    if not in_text and is_utf8(body) and not _BLANK_LINE.search(body):
        table = _read_by_arrow(body)
        if table is not None and _not_as_written(table, body):
            table = None
    if table is None:
        table, problems = _read_as_written(body, file_name, limits)
    if table.num_rows + 1 > limits.max_rows:
        raise _too_many(file_name, limits)
    columns, nested = [], []
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_nested(kind):
            nested.append(name)
            continue
        text = column if pa.types.is_string(kind) else pc.cast(column, pa.string())
        columns.append(pa.chunked_array([pa.array([name], pa.string()), *text.chunks]))
    if not columns:
        raise ImportRefused(
            _("{file}: the JSON records hold no values this app can read as columns.").format(
                file=named(file_name)
            )
        )
    columns = columns[: limits.max_columns]
    grid_table = pa.table({f"c{i}": col for i, col in enumerate(columns)})
    letters = tuple(column_letter(i) for i in range(grid_table.num_columns))
    notes = [
        _(
            "Read as JSON records, one a line: each record a row, each key a column; row 1 "
            "holds the keys, so the record on line N of the file is row N + 1."
        )
    ]
    if nested:
        notes.append(
            _("Key(s) {keys} hold lists or objects; they were not read.").format(
                keys=", ".join(f"'{named(k)}'" for k in nested[:10])
            )
        )
    name = file_name.rsplit("/", 1)[-1]
    return SheetGrid(name, grid_table, 1, letters, problems=problems), notes


def _read_by_arrow(body: Bytes) -> pa.Table | None:
    """The records read by Arrow (times as the text written), or None where it cannot."""
    try:
        first = pj.read_json(io.BytesIO(body))
        # Times and dates as written: Arrow would turn a time with its zone into UTC.
        schema = pa.schema(
            [
                pa.field(f.name, pa.string()) if pa.types.is_timestamp(f.type) else f
                for f in first.schema
            ]
        )
        del first
        return pj.read_json(
            io.BytesIO(body),
            parse_options=pj.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="infer"
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # A number too big for a double, a key holding text in one record and a number in
        # another: read line by line, which also names the line of a record that is no JSON.
        return None


def _not_as_written(table: pa.Table, body: Bytes) -> bool:
    """True when Arrow's numbers are not those written: NaN or infinite, past 2**53 (digits
    lost), or a zero where the file writes an exponent past a double's smallest."""
    zero = False
    for column in table.columns:
        if not pa.types.is_floating(column.type) or column.null_count == len(column):
            continue
        if not pc.all(pc.is_finite(column)).as_py():
            return True
        if pc.max(pc.abs(column)).as_py() >= _EXACT:
            return True
        zero = zero or bool(pc.any(pc.equal(column, 0.0)).as_py())
    return zero and _TINY.search(body) is not None


def _read_as_written(
    body: Bytes, file_name: str, limits: ImportLimits
) -> tuple[pa.Table, dict[int, str]]:
    """The records read line by line, every value the text written (a blank line an empty
    row, so that the rows follow the lines), lists and objects as a list column; and the rows
    holding bytes that are not UTF-8 (table row index, the keys' row being 0 -> reason)."""
    problems: dict[int, str] = {}
    columns: dict[str, list[str | None]] = {}
    nested: set[str] = set()
    rows = 0
    for number, line in enumerate(io.BytesIO(body), start=1):
        rows += 1
        if rows + 1 > limits.max_rows:  # the keys' row counts as one
            raise _too_many(file_name, limits)
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            # A few bad bytes reject their rows only, as in a CSV; the rest is read.
            text = line.decode("utf-8", "replace")
            problems[rows] = BAD_BYTES
        try:
            record = json.loads(text, parse_float=str, parse_int=str, parse_constant=str)
        except json.JSONDecodeError as exc:  # its words as the parser says them, as Arrow's were
            if rows in problems:
                continue  # rejected for its bytes
            raise _unreadable(file_name, number, f"{exc.msg} (column {exc.colno})") from exc
        except RecursionError as exc:
            reason = _("lists or objects nest deeper than {bound}").format(bound=MAX_DEPTH)
            raise _unreadable(file_name, number, reason) from exc
        if not isinstance(record, dict):
            raise _unreadable(file_name, number, _("the line holds no object"))
        for key, value in record.items():
            if isinstance(value, dict | list):
                nested.add(key)
                continue
            column = columns.get(key)
            if column is None:
                if len(columns) >= limits.max_columns:
                    continue
                column = columns[key] = []
            column.extend([None] * (rows - 1 - len(column)))
            if isinstance(value, bool):
                column.append("true" if value else "false")
            else:
                column.append(value)  # text, a number as written, or None
    arrays = {}
    for key, column in columns.items():
        column.extend([None] * (rows - len(column)))
        arrays[key] = pa.array(column, pa.string())
    for key in nested - columns.keys():
        arrays[key] = pa.array([None] * rows, pa.list_(pa.null()))
    return (pa.table(arrays) if arrays else pa.table({})), problems


def _too_many(file_name: str, limits: ImportLimits) -> ImportRefused:
    """The refusal of a file of more records than the row bound."""
    return ImportRefused(
        _(
            "{file}: more than {limit} rows (blank lines count as rows); the limit is "
            "{limit} rows. Split the file and import the parts."
        ).format(file=named(file_name), limit=fmt_number(limits.max_rows))
    )


def _unreadable(file_name: str, line: int, reason: str) -> ImportRefused:
    """The refusal of a file whose line holds no JSON record."""
    return ImportRefused(
        _(
            "{file}: the file holds JSON records, one a line, but line {line} cannot be read: "
            "{reason}."
        ).format(file=named(file_name), line=fmt_number(line), reason=named(reason))
    )


def _check_depth(body: Bytes, file_name: str) -> bool:
    """Refuse a file whose lists or objects nest deeper than MAX_DEPTH, naming the line, the
    depth and the bound; True when only brackets inside text went that deep."""
    view = np.frombuffer(body, dtype=np.uint8)
    depth, deepest, first = 0, 0, -1
    piece = 1 << 23  # 8 MB at a time
    for start in range(0, len(view), piece):
        steps = _OPEN[view[start : start + piece]]
        at = np.flatnonzero(steps)  # the running depth over the brackets only
        if not len(at):
            continue
        running = np.cumsum(steps[at], dtype=np.int64) + depth
        top = int(running.max())
        if top > MAX_DEPTH and first < 0:
            first = start + int(at[np.argmax(running > MAX_DEPTH)])
        deepest = max(deepest, top)
        depth = int(running[-1])
    if first < 0:
        return False
    # Brackets inside text count above: the depth outside strings, on that line, decides.
    if _depth_outside_text(body, first) <= MAX_DEPTH:
        return True
    line = int(np.count_nonzero(view[:first] == 10)) + 1
    raise ImportRefused(
        _(
            "{file}: line {line} nests lists or objects {depth} deep; the bound is {bound} "
            "(records of data nest a few levels). The file was refused."
        ).format(
            file=named(file_name),
            line=fmt_number(line),
            depth=fmt_number(deepest),
            bound=MAX_DEPTH,
        )
    )


def _depth_outside_text(body: Bytes, at: int) -> int:
    """The nesting depth at offset at of its line, brackets inside strings not counted."""
    line_start = body.rfind(b"\n", 0, at) + 1
    depth, in_text, escaped = 0, False, False
    deepest = 0
    for byte in bytes(body[line_start : at + 1]):
        if in_text:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_text = False
        elif byte == 0x22:
            in_text = True
        elif byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest
