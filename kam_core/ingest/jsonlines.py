"""JSON lines (an object a line, as databases and web services export records), read as a
table: each object a row, each key a column. Files named .csv often hold them.

Arrow's JSON reader parses the lines; text that looks like a time stays the text written (a
time with its zone is the exporter's date, as in a CSV), and lists or objects inside a record
are left out with a note. Where Arrow would not keep a number as written (1e400, 1e-400, a code
of 20 digits, NaN), a blank line would shift the rows from the lines, a few bytes are not UTF-8
or it cannot read the file at all, the lines are read one by one with every value as its text.
JSON written as one document (a list, an object holding one) is read by jsondoc.py.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number, ngettext
from kam_core.ingest.csvread import BAD_BYTES, count_byte
from kam_core.ingest.encoding import Bytes, is_utf8
from kam_core.ingest.errors import ImportRefused, few_numbers, named
from kam_core.ingest.grid import SheetGrid, column_letter
from kam_core.ingest.jsondoc import (
    FLAT_DEPTH,
    Document,
    Repeated,
    maybe_repeated,
    read_json_document,
    repeated_keys,
    single_values,
    trailing_comma,
)

# An object on the first line, closed on it: '{"date": "2024-01-05", "client": "Acme"}'.
_FIRST_OBJECT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{[^\n]*\}\s*(?:\n|\Z)")
# One document: a list of records or of rows (an empty list too), or an object over lines.
_DOCUMENT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:\[\s*[\{\[\]\"]|\{\s*\")")
# A list of single values: '[1, 2, 3]', '[true, false]' (text, '["Acme"]', is matched above).
# The list must go on after its first value, or end with the text: '[1] Sales' titles a table.
_VALUES = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*\[\s*(?:-?\d[\d.eE+-]*|true|false|null)\s*(?:,|\]\s*\Z)"
)
_JSON_NAME = re.compile(r"\.(?:json|jsonl|ndjson)$", re.IGNORECASE)
_VALUE_LINES = 1_000  # lines of a file named as JSON looked at for single values
# A one-line object holding a list of records or rows: '{"data": [{...}, ...]}'.
_HOLDS_LIST = re.compile(rb":\s*\[\s*[\{\[]")
_SECOND_LINE = re.compile(rb"\n\s*\S")  # a file of more than one line (found at its first)
# Blank lines: Arrow skips them, and the rows would no longer follow the lines.
_BLANK_LINE = re.compile(rb"\A[ \t\r]*\n|\n[ \t\r]*\n")
# An exponent past a double's smallest (1e-400 reads as 0).
_TINY = re.compile(rb"\d[eE]-\d{3}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Numbers as written (a code of 20 digits stays whole), for the words of a refusal.
_DECODER = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)
_MAX_FIXES = 1_000  # commas before a closing bracket left out of one line at most
_EXACT = 2.0**53  # past it a double no longer holds every whole number (a 20-digit code)
# Lists and objects nest at most so deep: a record of data needs a few levels; Arrow's parser
# recurses per level and 100,000 of them crashed its reader.
MAX_DEPTH = 64
_OPEN = np.zeros(256, dtype=np.int8)
_OPEN[[ord("["), ord("{")]] = 1
_OPEN[[ord("]"), ord("}")]] = -1


def json_kind(data: Bytes) -> str | None:
    """'lines' for JSON lines, 'document' for JSON written as one document (a list of records
    or rows, an object holding one), else None."""
    head = bytes(data[:1_000_000])
    if _FIRST_OBJECT.match(head):
        return "lines"
    if _DOCUMENT.match(head) or _VALUES.match(head):
        return "document"
    return None


def refuse_single_values(data: Bytes, file_name: str) -> None:
    """Refuse a file named as JSON whose lines each hold one single value ('1', '"Acme"'):
    values one a line, no records (a file named .csv of such lines is read as a column)."""
    if not _JSON_NAME.search(file_name):
        return
    head = bytes(data[:65_536])
    lines = head.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    if len(data) > len(head):
        lines.pop()  # cut where the head ends
    first: object = None
    seen = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            value = _DECODER.decode(line.decode("utf-8"))
        except ValueError:  # no JSON, or bytes that are not UTF-8: read as text
            return
        if isinstance(value, dict | list):
            return
        if not seen:
            first = value
        seen += 1
        if seen >= _VALUE_LINES:
            break
    if seen:
        raise single_values(file_name, first)


def read_json_lines(
    data: Bytes, file_name: str, limits: ImportLimits
) -> tuple[SheetGrid, list[str]]:
    """The records of a JSON-lines file as one grid (the keys as its header row)."""
    kind = json_kind(data)
    body = bytes(data[3:]) if bytes(data[:3]) == b"\xef\xbb\xbf" else data
    in_text = _check_depth(body, file_name)
    if kind == "document" or (
        _SECOND_LINE.search(body) is None and _HOLDS_LIST.search(body) is not None
    ):
        return read_document(body, file_name, limits)
    table, problems, flattened = None, {}, []
    # Arrow's parser recurses per level: brackets deep inside text go to the line reader,
    # whose recursion is caught.
    if not in_text and is_utf8(body) and not _BLANK_LINE.search(body):
        table = _read_by_arrow(body)
        if table is not None:
            table, flattened = _flat_table(table)
        if table is not None and (
            _not_as_written(table, body) or table.num_rows != _record_lines(body)
        ):
            # Two records on a line ('{...} {...}'), which Arrow reads as two rows: the rows
            # would no longer follow the lines; the line reader refuses it naming the line.
            table = None
    trailing: list[int] = []
    dropped = 0
    repeated = Repeated()
    if table is None:
        # Arrow refuses a record holding a key twice ("specified twice"): read here, noted.
        table, problems, trailing, flattened, dropped = _read_as_written(
            body, file_name, limits, repeated
        )
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
    dropped += max(0, len(columns) - limits.max_columns)
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
    if flattened:
        notes.append(_flattened_note(grid_table))
    if dropped:
        notes.append(_dropped_note(dropped, limits))
    if trailing:
        notes.append(_trailing_note(trailing))
    notes += repeated_notes(repeated)
    name = file_name.rsplit("/", 1)[-1]
    return SheetGrid(name, grid_table, 1, letters, problems=problems), notes


def repeated_notes(repeated: Repeated) -> list[str]:
    """A note for each key written twice in a record with different values (the first few)."""
    notes = []
    for key, line in repeated.lines.items():
        more = repeated.records[key] - 1
        if not more:
            notes.append(
                _(
                    "Key '{key}' appears twice in a record, with different values (line "
                    "{line}); the last value was read."
                ).format(key=named(key), line=fmt_number(line))
            )
            continue
        notes.append(
            ngettext(
                "Key '{key}' appears twice in a record, with different values (line {line}, "
                "and {more} more record); the last value was read in each.",
                "Key '{key}' appears twice in a record, with different values (line {line}, "
                "and {more} more records); the last value was read in each.",
                more,
            ).format(key=named(key), line=fmt_number(line), more=fmt_number(more))
        )
    return notes


def _dropped_note(dropped: int, limits: ImportLimits) -> str:
    """The note on keys past the bound on columns."""
    return _(
        "The records hold {count} keys more than the {limit} columns this app reads; the keys "
        "met first were read, the others not. Export only the columns needed."
    ).format(count=fmt_number(dropped), limit=fmt_number(limits.max_columns))


def _flat_table(table: pa.Table) -> tuple[pa.Table, list[str]]:
    """Arrow's records with their objects as a column per field ('client.name'), a few levels
    down; and the keys that held objects."""
    flattened = [f.name for f in table.schema if pa.types.is_struct(f.type)]
    for _level in range(FLAT_DEPTH):
        if not any(pa.types.is_struct(kind) for kind in table.schema.types):
            break
        table = table.flatten()
    return table, flattened


def flat_items(record: dict, depth: int = 0, path: str = "") -> Iterator[tuple[str, object]]:
    """A record's keys and values, its objects' fields as keys of their own ('client.name'),
    a few levels down."""
    for key, value in record.items():
        name = f"{path}{key}"
        if isinstance(value, dict) and depth < FLAT_DEPTH:
            yield from flat_items(value, depth + 1, f"{name}.")
        else:
            yield name, value


def _flattened_note(table: pa.Table) -> str:
    """The note on objects inside the records read as a column per field."""
    keys = table.slice(0, 1).to_pylist()[0].values()  # the header row
    example = next((k for k in keys if isinstance(k, str) and "." in k), "")
    return _(
        "Objects inside the records were read as a column per field, named by their path "
        "(such as '{example}')."
    ).format(example=named(example))


def _trailing_note(lines: list[int]) -> str:
    """The note on commas before a closing bracket that were left out."""
    return _(
        "Line(s) {lines}: a comma stands before a closing bracket with no value after it; it "
        "was left out."
    ).format(lines=few_numbers(sorted(set(lines))))


def read_document(body: Bytes, file_name: str, limits: ImportLimits) -> tuple[SheetGrid, list[str]]:
    """JSON written as one document (jsondoc.py) as one grid: a list of records with the keys
    as its header row, a list of rows as they are."""
    text = bytes(body).decode("utf-8", "surrogateescape")  # a bad byte: its row rejected
    doc = read_json_document(text, file_name, limits)
    del text
    if doc.rows_kind:
        width = max((int(k) for k in doc.keys), default=-1) + 1
        by_place = dict(zip(doc.keys, doc.columns, strict=True))
        header = doc.header
        shift = 1 if header else 0
        columns = []
        for place in range(min(width, limits.max_columns)):
            column = by_place.get(place, pa.chunked_array([pa.nulls(doc.count, pa.string())]))
            if header:
                name = header[place] if place < len(header) else None
                column = pa.chunked_array([pa.array([name], pa.string()), *column.chunks])
            columns.append(column)
    else:
        shift = 1
        columns = [
            pa.chunked_array([pa.array([str(key)], pa.string()), *column.chunks])
            for key, column in zip(doc.keys, doc.columns, strict=True)
        ][: limits.max_columns]
    if not columns:
        raise ImportRefused(
            _("{file}: the JSON document holds no values this app can read as columns.").format(
                file=named(file_name)
            )
        )
    grid_table = pa.table({f"c{i}": col for i, col in enumerate(columns)})
    letters = tuple(column_letter(i) for i in range(grid_table.num_columns))
    problems = {index + shift: BAD_BYTES for index in doc.bad}
    notes = [_document_note(doc)]
    if doc.flattened:
        notes.append(_flattened_note(grid_table))
    if doc.dropped:
        notes.append(_dropped_note(doc.dropped, limits))
    if doc.nested:
        notes.append(
            _("Key(s) {keys} hold lists or objects; they were not read.").format(
                keys=", ".join(f"'{named(str(k))}'" for k in list(doc.nested)[:10])
            )
        )
    if doc.others:
        notes.append(
            _("The document holds other lists too; they were not read: {lists}.").format(
                lists=", ".join(f"'{named(p)}' ({fmt_number(n)})" for p, n in doc.others[:5])
            )
        )
    if doc.trailing:
        notes.append(_trailing_note(doc.trailing))
    notes += repeated_notes(doc.repeated)
    name = file_name.rsplit("/", 1)[-1]
    return SheetGrid(name, grid_table, 1, letters, problems=problems), notes


def _document_note(doc: Document) -> str:
    """How a JSON document was read, and which row of the sheet an item is."""
    if doc.where == "\n" and doc.rows_kind:
        return _(
            "Read as JSON lists written one after another: each list a row, so list N is row N."
        )
    if doc.where == "\n":
        return _(
            "Read as JSON records written one after another: each record a row, each key a "
            "column; row 1 holds the keys, so record N is row N + 1."
        )
    if doc.rows_kind and doc.header:
        return _(
            "Read as one JSON document: the column names given beside '{where}' are row 1 and "
            "each of its lists a row below, so list N is row N + 1."
        ).format(where=named(doc.where))
    if doc.rows_kind and doc.where:
        return _(
            "Read as one JSON document: each list of values in '{where}' is a row, so list N is "
            "row N."
        ).format(where=named(doc.where))
    if doc.rows_kind:
        return _("Read as one JSON document, a list of lists: each list a row, so list N is row N.")
    if doc.where:
        return _(
            "Read as one JSON document: the records of '{where}', each record a row, each key a "
            "column; row 1 holds the keys, so record N is row N + 1."
        ).format(where=named(doc.where))
    return _(
        "Read as one JSON document: each record of its list a row, each key a column; row 1 "
        "holds the keys, so record N is row N + 1."
    )


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


def _record_lines(body: Bytes) -> int:
    """The lines of the file (a blank line is none: such files are read line by line)."""
    last = body.rfind(b"\n") + 1
    return count_byte(body, b"\n") + (1 if bytes(body[last:]).strip() else 0)


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
    body: Bytes, file_name: str, limits: ImportLimits, repeated: Repeated
) -> tuple[pa.Table, dict[int, str], list[int], list[str], int]:
    """The records read line by line, every value the text written (a blank line an empty
    row, so that the rows follow the lines), objects as a column per field, lists as a list
    column; the rows holding bytes that are not UTF-8 (table row index, the keys' row being
    0 -> reason); the lines whose comma before a closing bracket was left out; the keys of
    objects read field by field; how many keys were past the bound on columns. Keys written
    twice in a record with different values go into repeated."""
    problems: dict[int, str] = {}
    trailing: list[int] = []
    flattened: set[str] = set()
    dropped: set[str] = set()
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
        # Without its line end, an unclosed text is reported as such, not as a line break in it.
        text = text.rstrip("\r\n")
        try:
            record = _record(text, number, trailing)
        except json.JSONDecodeError as exc:
            if rows in problems:
                continue  # rejected for its bytes
            raise _unreadable(file_name, number, parse_error(exc, text)) from exc
        except RecursionError as exc:
            reason = _("lists or objects nest deeper than {bound}").format(bound=MAX_DEPTH)
            raise _unreadable(file_name, number, reason) from exc
        if not isinstance(record, dict):
            raise _unreadable(file_name, number, _("the line holds no object"))
        if maybe_repeated(text, 0, len(text), len(record)):
            keys = repeated_keys(text)
            if keys:
                repeated.add(keys, lambda number=number: number)
        if any(isinstance(value, dict) for value in record.values()):
            flattened.update(k for k, v in record.items() if isinstance(v, dict))
            record = dict(flat_items(record))
        if "\\u" in text and _holds_surrogate(record):
            # An escaped half of a pair ('\\ud800') is no character: its row is rejected as a
            # bad byte would be (its text could not be stored: an internal error).
            problems[rows] = BAD_BYTES
            record = {_without_surrogates(k): _without_surrogates(v) for k, v in record.items()}
        for key, value in record.items():
            if isinstance(value, dict | list):
                nested.add(key)
                continue
            column = columns.get(key)
            if column is None:
                if len(columns) >= limits.max_columns:
                    dropped.add(key)
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
    table = pa.table(arrays) if arrays else pa.table({})
    return table, problems, trailing, sorted(flattened), len(dropped)


def _record(text: str, number: int, trailing: list[int]) -> object:
    """A line's record; a comma before a closing bracket ('{"a": 1,}') is left out, and the
    line noted in trailing."""
    try:
        return json.loads(text, parse_float=str, parse_int=str, parse_constant=str)
    except json.JSONDecodeError as exc:
        first, error = exc, exc
    for _fix in range(_MAX_FIXES):
        comma = trailing_comma(text, error.pos)
        if comma is None:
            break
        text = f"{text[:comma]} {text[comma + 1 :]}"
        try:
            record = json.loads(text, parse_float=str, parse_int=str, parse_constant=str)
        except json.JSONDecodeError as exc:
            error = exc
            continue
        trailing.append(number)
        return record
    raise first


def _holds_surrogate(record: dict) -> bool:
    """True when a key or a text value of the record holds half of a surrogate pair."""
    return any(
        isinstance(text, str) and _SURROGATE.search(text) is not None
        for pair in record.items()
        for text in pair
    )


def _without_surrogates(value: object) -> object:
    """A text value with each half of a surrogate pair as U+FFFD (others as they are)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    return value


def _too_many(file_name: str, limits: ImportLimits) -> ImportRefused:
    """The refusal of a file of more records than the row bound."""
    return ImportRefused(
        _(
            "{file}: more than {limit} rows (blank lines count as rows); the limit is "
            "{limit} rows. Split the file and import the parts."
        ).format(file=named(file_name), limit=fmt_number(limits.max_rows))
    )


def _unreadable(file_name: str, line: int, reason: str) -> ImportRefused:
    """The refusal of a file whose line holds no JSON record (reason in the user's words)."""
    return ImportRefused(
        _(
            "{file}: the file holds JSON records, one a line, but line {line} cannot be read: "
            "{reason}."
        ).format(file=named(file_name), line=fmt_number(line), reason=reason)
    )


# The parser's messages (Python's json, 3.11 to 3.13), each the start of its text.
_EXPECTING_VALUE = "Expecting value"
_EXPECTING_COMMA = "Expecting ',' delimiter"
_EXPECTING_COLON = "Expecting ':' delimiter"
_EXPECTING_KEY = "Expecting property name"
_TRAILING_COMMA = "Illegal trailing comma"
_UNCLOSED = "Unterminated string"
_CONTROL = "Invalid control character"
_ESCAPE = "Invalid \\"
_EXTRA = "Extra data"
_NEAR = 12  # characters shown on either side of the place the parser stopped


def parse_error(exc: json.JSONDecodeError, text: str) -> str:
    """What is wrong with a line of JSON and where, in the user's words (the parser's own
    words are English whatever the page's language)."""
    line = text
    at = min(exc.pos, len(line))
    sign = line[at : at + 1]
    rest = line[at:].strip()
    message = exc.msg
    if not rest and message.startswith((_EXPECTING_VALUE, _EXPECTING_COMMA, _EXPECTING_KEY)):
        # The parser stopped at the end of the line: the record was cut short.
        return _("the record ends before it is closed (a value, a quote or a brace is missing)")
    if message.startswith(_EXPECTING_VALUE):
        if sign in (",", "}", "]"):
            what = _("a value is missing")
        else:
            what = _(
                "a value is not written as JSON writes values (text in double quotes; numbers, "
                "true, false and null bare)"
            )
    elif message.startswith(_EXPECTING_COMMA):
        if sign in ("}", "]"):
            what = _("a list or an object is closed by the wrong bracket")
        elif sign.isdigit() and line[at - 1 : at].isdigit():
            what = _("a number is not written as JSON writes numbers (a zero before its figures)")
        else:
            what = _("a comma is missing between two values")
    elif message.startswith(_EXPECTING_COLON):
        what = _("a colon is missing after a key")
    elif message.startswith(_TRAILING_COMMA) or (
        message.startswith(_EXPECTING_KEY) and sign == "}"
    ):
        what = _("a comma stands before the closing bracket, with no value after it")
    elif message.startswith(_EXPECTING_KEY):
        what = _("a key is not written in double quotes")
    elif message.startswith(_UNCLOSED):
        what = _("a text opened by a quote is not closed")
    elif message.startswith(_CONTROL):
        what = _(
            "a text holds a control character (a tab or a line break written as it is, not "
            "as \\t or \\n)"
        )
    elif message.startswith(_ESCAPE):
        what = _("a backslash stands before a character it cannot escape")
    elif message.startswith(_EXTRA):
        what = _("more follows after the record is closed (one record a line)")
    else:
        what = _("the text is not valid JSON")
    near = line[max(0, at - _NEAR) : at + _NEAR]
    return _("{problem}, at character {column} (near '{near}')").format(
        problem=what, column=fmt_number(at + 1), near=named(near)
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
