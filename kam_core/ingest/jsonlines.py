"""JSON lines (an object a line, as databases and web services export records), read as a
table: each object a row, each key a column. Files named .csv often hold them.

Arrow's JSON reader parses the lines; text that looks like a time stays the text written (a
time with its zone is the exporter's date, as in a CSV), and lists or objects inside a record
are left out with a note.
"""

from __future__ import annotations

import io
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from kam_core.config import ImportLimits
from kam_core.i18n import _, fmt_number
from kam_core.ingest.encoding import Bytes
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.grid import SheetGrid, column_letter

# An object on the first line, closed on it: '{"date": "2024-01-05", "client": "Acme"}'.
_FIRST_OBJECT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{[^\n]*\}\s*(?:\n|\Z)")
_ARRAY = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\[\s*\{")


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
        table = pj.read_json(
            io.BytesIO(body),
            parse_options=pj.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="infer"
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ImportRefused(
            _(
                "{file}: the file holds JSON records, one a line, but they cannot be read: "
                "{reason}."
            ).format(file=named(file_name), reason=named(str(exc).strip().rstrip(".")))
        ) from exc
    if table.num_rows + 1 > limits.max_rows:
        raise ImportRefused(
            _(
                "{file}: more than {limit} rows (blank lines count as rows); the limit is "
                "{limit} rows. Split the file and import the parts."
            ).format(file=named(file_name), limit=fmt_number(limits.max_rows))
        )
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
    notes = [_("Read as JSON records, one a line: each record a row, each key a column.")]
    if nested:
        notes.append(
            _("Key(s) {keys} hold lists or objects; they were not read.").format(
                keys=", ".join(f"'{named(k)}'" for k in nested[:10])
            )
        )
    return SheetGrid(file_name.rsplit("/", 1)[-1], grid_table, 1, letters), notes
