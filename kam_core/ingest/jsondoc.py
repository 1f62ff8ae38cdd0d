"""JSON written as one document rather than a record a line: a list of records
('[{...}, {...}]', on one line or pretty-printed), a list of rows whose first names the columns
('[["date", "client"], ["2024-01-05", "Acme"]]'), an object holding such a list at any depth
('{"data": [...]}', '{"columns": [...], "data": [[...]]}'), or records written one after
another over several lines each.

The document is read item by item (json's raw_decode, each value as the text written) and the
columns are kept as Arrow arrays every so many rows: it is never one tree of Python objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest

import pyarrow as pa

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number
from kam_core.ingest.errors import ImportRefused, named

_DECODER = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)
_SPACE = re.compile(r"[ \t\n\r]*")
# What follows an item of a list: a comma and the next item, or the closing bracket (after a
# comma too: '[1, 2,]').
_AFTER_ITEM = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*(\])?|\])")
_SEPARATOR = re.compile(r"[ \t\n\r]*,?[ \t\n\r]*")  # between values written one after another
_SURROGATE = re.compile("[\ud800-\udfff]")
FLAT_DEPTH = 3  # levels of objects inside a record read as columns ('client.address.city')
_CHUNK = 65_536  # rows gathered as Python values before they become Arrow arrays
_WINDOW = 1 << 10  # characters of an item whose commas are looked at (grown as needed)
_MAX_FIXES = 1_000  # trailing commas dropped in one item at most
_REPEATED_SHOWN = 5  # keys written twice whose line is found and named


@dataclass
class Columns:
    """Records (dicts) or rows (lists) gathered an item at a time and made Arrow columns of
    text every _CHUNK items (a column at a time: a value at a time took ten times as long)."""

    max_columns: int
    max_rows: int
    rows: int = 0
    done: int = 0
    chunks: dict[object, list[pa.Array]] = field(default_factory=dict)
    pending: list[dict | list] = field(default_factory=list)
    nested: set[object] = field(default_factory=set)
    flattened: set[object] = field(default_factory=set)  # keys of objects read field by field
    dropped: set[object] = field(default_factory=set)  # keys past the bound on columns
    bad: set[int] = field(default_factory=set)  # rows holding text that is no character
    keys: int = 0  # keys of the records made columns, and of the objects inside them

    def key_count(self) -> int:
        """The keys the records added hold in all, inside objects too (made columns first)."""
        self._flush()
        return self.keys

    def add(self, item: dict | list) -> None:
        """Add one record or row."""
        if self.rows + 1 > self.max_rows:
            raise OverflowError
        self.pending.append(item)
        self.rows += 1
        if len(self.pending) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        if any(isinstance(item, dict) for item in pending[:1]):
            self.keys += sum(map(len, pending))
            keys = list(pending[0])
            extra = set().union(*pending).difference(keys)
            if extra:  # in the order first met
                keys += [
                    k for k in dict.fromkeys(k for item in pending for k in item) if k in extra
                ]
            values = {key: [item.get(key) for item in pending] for key in keys}
        else:
            values = dict(enumerate(zip_longest(*pending)))
        added = set()
        for key, column in values.items():
            for name, array in self._columns_of(key, column, 0):
                if name not in self.chunks:
                    if len(self.chunks) >= self.max_columns:
                        self.dropped.add(name)
                        continue
                    self.chunks[name] = [pa.nulls(self.done, pa.string())] if self.done else []
                self.chunks[name].append(array)
                added.add(name)
        for key, chunks in self.chunks.items():
            if key not in added:
                chunks.append(pa.nulls(len(pending), pa.string()))
        self.done = self.rows

    def _columns_of(
        self, key: object, column: Sequence[object], depth: int
    ) -> list[tuple[object, pa.Array]]:
        """A key's column as text; a record's objects as a column per field, named by their
        path ('client.name'), a few levels down."""
        try:
            return [(key, pa.array(column, pa.string()))]
        except (pa.ArrowException, TypeError, UnicodeEncodeError):
            pass
        if depth >= FLAT_DEPTH or not isinstance(key, str):
            return [(key, self._text(key, column))]
        inner = dict.fromkeys(k for v in column if isinstance(v, dict) for k in v)
        if not inner:
            return [(key, self._text(key, column))]
        self.flattened.add(key)
        self.keys += sum(len(v) for v in column if isinstance(v, dict))  # theirs: below
        out = []
        if any(v is not None and not isinstance(v, dict) for v in column):
            out.append((key, self._text(key, [None if isinstance(v, dict) else v for v in column])))
        for name in inner:
            values = [v.get(name) if isinstance(v, dict) else None for v in column]
            out += self._columns_of(f"{key}.{name}", values, depth + 1)
        return out

    def _text(self, key: object, column: Sequence[object]) -> pa.Array:
        """A column's values as text: numbers as written, true and false, lists and objects
        left out (noted), text that is no character replaced and its row marked."""
        try:
            return pa.array(column, pa.string())
        except (pa.ArrowException, TypeError, UnicodeEncodeError):
            pass
        out: list[str | None] = []
        for index, value in enumerate(column):
            if isinstance(value, dict | list):
                self.nested.add(key)
                self.keys += keys_in(value)
                value = None
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, str) and _SURROGATE.search(value) is not None:
                # A byte that is not UTF-8, or an escaped half of a pair: no character.
                self.bad.add(self.done + index)
                value = _SURROGATE.sub("\ufffd", value)
            out.append(value)
        return pa.array(out, pa.string())

    def table(self) -> tuple[list[object], list[pa.ChunkedArray]]:
        """The keys (or positions) and their columns, in the order first met; a key that holds
        only lists or objects is left out."""
        self._flush()
        keys, columns = [], []
        for key, chunks in self.chunks.items():
            column = pa.chunked_array(chunks, pa.string())
            if (
                key in self.nested
                and column.null_count == len(column)
                and key not in self.flattened
            ):
                continue
            keys.append(key)
            columns.append(column)
        return keys, columns


def keys_in(value: object) -> int:
    """The keys of every object in a JSON value (itself and those inside it)."""
    if isinstance(value, dict):
        return len(value) + sum(keys_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(keys_in(v) for v in value)
    return 0


@dataclass
class Repeated:
    """Keys written twice in one record with different values (the last is read, as JSON
    readers do): per key, the line of the first such record and how many records."""

    lines: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)

    def add(self, keys: list[str], line: Callable[[], int]) -> None:
        """Count a record holding keys twice; line gives its line (asked once per key)."""
        for key in keys:
            if key not in self.records:
                self.records[key] = 0
                if len(self.lines) < _REPEATED_SHOWN:  # a line costs a count from the start
                    self.lines[key] = line()
            self.records[key] += 1


def maybe_repeated(text: str, start: int, end: int, size: int) -> bool:
    """Whether the object written from start to end, holding size keys, may have a key written
    twice: its keys as written ('"key":', '"key" :') are more or fewer than it holds. Keys of
    objects inside it count too: a record holding objects is looked at in full."""
    return text.count('":', start, end) + text.count('" :', start, end) != size


def repeated_keys(text: str, start: int = 0) -> list[str]:
    """The keys written twice or more with different values in one object of the JSON value at
    start (at any depth), in the order met; read again, pair by pair (a Python call per object:
    only for a record that may hold one)."""
    found: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict:
        record = dict(items)
        if len(record) < len(items):
            first: dict[str, object] = {}
            for key, value in items:
                if key not in first:
                    first[key] = value
                elif value != first[key] and key not in found:
                    found.append(key)
        return record

    decoder = json.JSONDecoder(
        parse_float=str, parse_int=str, parse_constant=str, object_pairs_hook=pairs
    )
    try:
        decoder.raw_decode(text, start)
    except (json.JSONDecodeError, RecursionError):
        return []  # read leniently (a comma before a closing bracket): not looked at
    return found


@dataclass
class Document:
    """What a JSON document held: its records or its rows."""

    rows_kind: bool  # True: lists of values, the first naming the columns; else records
    keys: list[object]
    columns: list[pa.ChunkedArray]
    count: int
    nested: set[object]
    flattened: set[object]  # keys whose objects were read as a column per field
    dropped: int  # keys past the bound on columns, not read
    bad: set[int]  # item indexes (from 0) of text that is no character
    where: str  # the key path of the list read ('' for the document itself)
    others: list[tuple[str, int]]  # other lists of records or rows, not read
    trailing: list[int]  # lines where a comma before a closing bracket was left out
    repeated: Repeated  # keys written twice in a record with different values
    header: list[str] | None = None  # names given beside a list of rows ('columns')


class _Reader:
    """Item by item through one document's text."""

    def __init__(self, text: str, file_name: str, limits: ImportLimits) -> None:
        self.text = text
        self.file_name = file_name
        self.limits = limits
        self.trailing: set[int] = set()  # where commas before a closing bracket stood
        self.repeated = Repeated()

    def check_keys(
        self, start: int, end: int, count: int, keys: int, between: re.Pattern[str]
    ) -> None:
        """Note the keys written twice with different values in the count records (holding
        keys keys) read from start to end, between stands between them. Their keys as written
        are counted over the whole stretch against the keys read (a count a record cost 6% of
        reading a document); only where they differ is each record read again."""
        if not count:
            return
        # Keys written '"key":' first; those written '"key" :' (Jackson) only where these fall
        # short (each count of a 77 MB document takes 0.08 s).
        written = self.text.count('":', start, end)
        if written == keys or written + self.text.count('" :', start, end) == keys:
            return
        pos = start
        for _record in range(count):
            at = pos
            value, pos = self.value(pos)
            if type(value) is dict and maybe_repeated(self.text, at, pos, len(value)):
                keys = repeated_keys(self.text, at)
                if keys:
                    self.repeated.add(keys, lambda at=at: self.line_of(at))
            pos = between.match(self.text, pos).end()

    def line_of(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def skip(self, pos: int) -> int:
        return _SPACE.match(self.text, pos).end()

    def refuse(self, pos: int, message: str) -> ImportRefused:
        return unreadable(self.file_name, self.text, json.JSONDecodeError(message, self.text, pos))

    def value(self, pos: int) -> tuple[object, int]:
        """The value at pos and where it ends; a comma before a closing bracket is left out."""
        if not self.trailing:
            try:
                return _DECODER.raw_decode(self.text, pos)
            except RecursionError as exc:
                raise self.refuse(pos, "Too deep") from exc
            except json.JSONDecodeError:
                pass  # its line is counted from the start of the text: not again per item
        return self._lenient(pos)

    def _lenient(self, pos: int) -> tuple[object, int]:
        """The value at pos read from a piece of the text (grown as needed), each comma before
        a closing bracket left out; the parser's error where it is none."""
        size = _WINDOW
        while True:
            piece = self.text[pos : pos + size]
            cut = pos + size < len(self.text)
            error: json.JSONDecodeError | None = None
            for _fix in range(_MAX_FIXES):
                try:
                    value, end = _DECODER.raw_decode(piece, 0)
                except RecursionError as exc:
                    raise self.refuse(pos, "Too deep") from exc
                except json.JSONDecodeError as exc:
                    comma = trailing_comma(piece, exc.pos)
                    if comma is None:
                        error = exc
                        break
                    piece = f"{piece[:comma]} {piece[comma + 1 :]}"
                    self.trailing.add(pos + comma)
                    continue
                if end < len(piece) or not cut:  # not a value the cut may have shortened
                    return value, pos + end
                break
            else:
                raise self.refuse(pos, "Expecting value")  # commas upon commas
            if not cut:
                at, message = (error.pos, error.msg) if error else (0, "Expecting value")
                raise self.refuse(pos + at, message)
            size *= 8  # the item may be longer than the piece looked at

    def items(self, pos: int, sink: Columns, rows_kind: bool | None) -> tuple[int, bool | None]:
        """Read the list opening at pos into sink: records, or rows (lists of values); return
        where it ends and which kind it held (None for an empty list)."""
        pos = self.skip(pos + 1)
        if self.text.startswith("]", pos):
            return pos + 1, rows_kind
        first, before, held = pos, sink.rows, sink.key_count()
        while True:
            start = pos
            value, pos = self.value(pos)
            if rows_kind is None:
                if not isinstance(value, dict | list):
                    raise single_values(self.file_name, value)
                rows_kind = isinstance(value, list)
            if value is None:
                sink.add([] if rows_kind else {})
            elif isinstance(value, list if rows_kind else dict):
                sink.add(value)
            else:
                raise self.mixed(start, value, rows_kind)
            after = _AFTER_ITEM.match(self.text, pos)
            if after is None:
                raise self.refuse(self.skip(pos), "Expecting ',' delimiter")
            pos = after.end()
            if after.group(2) is not None:  # a comma before the closing bracket
                self.trailing.add(after.start(1))
            if after.group(1) is None or after.group(2) is not None:
                if not rows_kind:
                    count, keys = sink.rows - before, sink.key_count() - held
                    self.check_keys(first, pos, count, keys, _AFTER_ITEM)
                return pos, rows_kind

    def mixed(self, pos: int, value: object, rows_kind: bool) -> ImportRefused:
        """The refusal of a list whose item is not of the kind of the items before it."""
        found = kind_word(value)
        expected = _("rows (lists of values)") if rows_kind else _("records (objects)")
        return ImportRefused(
            _(
                "{file}: the file is one JSON document whose list holds {expected}, but the "
                "item on line {line} is {found}. A table needs every item to be a record "
                "('{{...}}') or every item a row ('[...]')."
            ).format(
                file=named(self.file_name),
                expected=expected,
                line=fmt_number(self.line_of(pos)),
                found=found,
            )
        )

    def columns(self) -> Columns:
        return Columns(self.limits.max_columns, self.limits.max_rows)


def single_values(file_name: str, first: object) -> ImportRefused:
    """The refusal of JSON holding single values (a list of them, or one a line), not records."""
    return ImportRefused(
        _(
            "{file}: the file is a JSON list of single values (the first is {found}), not of "
            "records with named fields; it is not a table. A JSON file this app reads holds a "
            'list of records, such as [{{"date": "2024-01-05", "client": "Acme", "amount": '
            "100}}, ...], or one such record a line."
        ).format(file=named(file_name), found=kind_word(first))
    )


def kind_word(value: object) -> str:
    """What a JSON value is, in the user's words."""
    if isinstance(value, dict):
        return _("a record (an object)")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, bool) or value is None:
        # As the file writes them, not as Python names them (True, None).
        written = {True: "true", False: "false", None: "null"}[value]
        return _("the value {value}").format(value=written)
    if isinstance(value, str) and not value.replace(".", "").replace("-", "").isdigit():
        return _("the text '{value}'").format(value=named(value[:40]))
    return _("the value {value}").format(value=named(str(value)[:40]))


@dataclass
class _Found:
    path: str
    sink: Columns
    rows_kind: bool


def _walk_object(reader: _Reader, pos: int, path: str, found: list[_Found]) -> tuple[dict, int]:
    """Read the object opening at pos: its plain values as a record, each list of records or
    of rows inside it (at any depth) into found; return the record and where it ends."""
    text = reader.text
    record: dict[str, object] = {}
    start = comma = pos
    pos = reader.skip(pos + 1)
    if text.startswith("}", pos):
        return record, pos + 1
    while True:
        if not text.startswith('"', pos):
            if text.startswith("}", pos) and record:  # a comma before the closing brace
                reader.trailing.add(comma)
                return record, pos + 1
            raise reader.refuse(pos, "Expecting property name enclosed in double quotes")
        key, pos = reader.value(pos)
        pos = reader.skip(pos)
        if not text.startswith(":", pos):
            raise reader.refuse(pos, "Expecting ':' delimiter")
        pos = reader.skip(pos + 1)
        inner = f"{path}.{key}" if path else str(key)
        if text.startswith("{", pos):
            value, pos = _walk_object(reader, pos, inner, found)
        elif text.startswith("[", pos) and text.startswith(("{", "["), reader.skip(pos + 1)):
            sink = reader.columns()
            pos, rows_kind = reader.items(pos, sink, None)
            found.append(_Found(inner, sink, bool(rows_kind)))
            value = []
        else:
            value, pos = reader.value(pos)
        if key in record and record[key] != value:
            reader.repeated.add([key], lambda: reader.line_of(start))
        record[key] = value
        pos = reader.skip(pos)
        sign = text[pos : pos + 1]
        if sign == ",":
            comma, pos = pos, reader.skip(pos + 1)
            continue
        if sign == "}":
            return record, pos + 1
        raise reader.refuse(pos, "Expecting ',' delimiter")


def read_json_document(text: str, file_name: str, limits: ImportLimits) -> Document:
    """The records or rows of a JSON document (text without its byte-order mark)."""
    reader = _Reader(text, file_name, limits)
    try:
        return _read(reader)
    except OverflowError:
        raise ImportRefused(
            _(
                "{file}: more than {limit} rows; the limit is {limit} rows. Split the file and "
                "import the parts."
            ).format(file=named(file_name), limit=fmt_number(limits.max_rows))
        ) from None


def _read(reader: _Reader) -> Document:
    text = reader.text
    pos = reader.skip(0)
    if text.startswith("[", pos):
        if not text.startswith(("{", "[", "]"), reader.skip(pos + 1)):
            # A list of values: a row, when more lists follow ('["date", "client"]' a line).
            first, end = reader.value(pos)
            after = _SEPARATOR.match(text, end).end()
            if text.startswith("[", after):
                sink = reader.columns()
                sink.add(first)
                _sequence(reader, after, sink, list)
                return _document(reader, _Found("", sink, True), [], None, several=True)
        sink = reader.columns()
        pos, rows_kind = reader.items(pos, sink, None)
        _end(reader, pos)
        return _document(reader, _Found("", sink, bool(rows_kind)), [], None)
    found: list[_Found] = []
    record, pos = _walk_object(reader, pos, "", found)
    pos = _SEPARATOR.match(text, pos).end()
    if pos < len(text):
        # Records written one after another, each over several lines (or a comma after each).
        sink = reader.columns()
        sink.add(record)
        _sequence(reader, pos, sink, dict)
        return _document(reader, _Found("", sink, False), [], None, several=True)
    if not found:  # one record
        sink = reader.columns()
        sink.add(record)
        return _document(reader, _Found("", sink, False), [], None)
    found.sort(key=lambda f: -f.sink.rows)
    chosen, others = found[0], found[1:]
    if others and others[0].sink.rows * 2 > chosen.sink.rows:
        raise ImportRefused(
            _(
                "{file}: the JSON document holds several lists of records: {lists}. This app "
                "reads one list; export the one that holds the sales on its own."
            ).format(
                file=named(reader.file_name),
                lists=", ".join(
                    f"'{named(f.path)}' ({fmt_number(f.sink.rows)})" for f in found[:5]
                ),
            )
        )
    header = _header_beside(record, chosen) if chosen.rows_kind else None
    return _document(reader, chosen, others, header)


def _sequence(reader: _Reader, pos: int, sink: Columns, kind: type) -> None:
    """Read values written one after another from pos (a comma between them or none), each a
    record (kind dict) or a row (kind list), into sink."""
    text = reader.text
    first, before, held = pos, sink.rows, sink.key_count()
    while pos < len(text):
        start = pos
        value, pos = reader.value(pos)
        if not isinstance(value, kind):
            raise reader.mixed(start, value, kind is list)
        sink.add(value)
        pos = _SEPARATOR.match(text, pos).end()
    if kind is dict:
        count, keys = sink.rows - before, sink.key_count() - held
        reader.check_keys(first, pos, count, keys, _SEPARATOR)


def _header_beside(record: dict, chosen: _Found) -> list[str] | None:
    """The column names a list of rows has beside it ('columns': pandas' split layout)."""
    names: object = record
    for part in chosen.path.split(".")[:-1]:
        names = names.get(part, {}) if isinstance(names, dict) else {}
    if not isinstance(names, dict):
        return None
    for key in ("columns", "fields", "header", "headers"):
        value = names.get(key)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return value
    return None


def _end(reader: _Reader, pos: int) -> None:
    pos = reader.skip(pos)
    if pos < len(reader.text):
        raise reader.refuse(pos, "Extra data")


def _document(
    reader: _Reader,
    chosen: _Found,
    others: list[_Found],
    header: list[str] | None,
    several: bool = False,
) -> Document:
    keys, columns = chosen.sink.table()
    return Document(
        rows_kind=chosen.rows_kind,
        keys=keys,
        columns=columns,
        count=chosen.sink.rows,
        nested=chosen.sink.nested,
        flattened=chosen.sink.flattened,
        dropped=len(chosen.sink.dropped),
        bad=chosen.sink.bad,
        where="\n" if several else chosen.path,
        others=[(f.path, f.sink.rows) for f in others],
        trailing=_lines_at(reader.text, sorted(reader.trailing)),
        repeated=reader.repeated,
        header=header,
    )


def _lines_at(text: str, offsets: list[int]) -> list[int]:
    """The lines of the given offsets (in order), the text walked once."""
    lines, line, last = [], 1, 0
    for at in offsets:
        line += text.count("\n", last, at)
        last = at
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def trailing_comma(text: str, at: int) -> int | None:
    """Where the comma stands that the parser stopped after, at a closing bracket with no value
    after the comma ('{"a": 1,}', '[1, 2,]'); None for any other error."""
    if text[at : at + 1] not in ("}", "]"):
        return None
    before = len(text[:at].rstrip(" \t\r\n"))
    if before == 0 or text[before - 1] != ",":
        return None
    prior = text[: before - 1].rstrip(" \t\r\n")[-1:]
    if prior in ("", ",", "[", "{", ":"):
        return None  # a value is missing there, not only a comma too many
    return before - 1


def unreadable(file_name: str, text: str, exc: json.JSONDecodeError) -> ImportRefused:
    """The refusal of a JSON document the parser stopped in, naming the line and what."""
    from kam_core.ingest.jsonlines import parse_error  # its words for the parser's errors

    start = text.rfind("\n", 0, exc.pos) + 1
    end = text.find("\n", exc.pos)
    line = text[start : end if end >= 0 else len(text)].rstrip("\r")
    if exc.msg == "Too deep":
        reason = _("lists or objects nest too deep")
    else:
        reason = parse_error(json.JSONDecodeError(exc.msg, line, exc.pos - start), line)
    return ImportRefused(
        _(
            "{file}: the file is one JSON document, but line {line} cannot be read: {reason}."
        ).format(
            file=named(file_name), line=fmt_number(text.count("\n", 0, exc.pos) + 1), reason=reason
        )
    )
