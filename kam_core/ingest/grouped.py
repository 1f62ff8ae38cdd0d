"""Reports grouped by client: the client written once, on a row above its lines.

Accounting packages print 'Sales by Customer Detail' (QuickBooks), 1C's sales report and
Salesforce's grouped reports this way: a row holding the client's name alone (or its name and
its subtotal, or its first line), the client's lines below it with the client cell blank, and
often a 'Total for X' or 'Subtotal' row closing the group. Read line by line, every line was
rejected for a missing client, or the file refused for having no client column.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.header import Layout, match_label
from kam_core.ingest.parse import numbers
from kam_core.ingest.reasons import mask, missing
from kam_core.ingest.skipped import PAGE_LINE, reading_total
from kam_core.ingest.text import Text, as_arrow, clean_arrow

Texts = Callable[[int], Text]  # a column's cells trimmed, blanks as nulls

_CLIENTS = ("client_id", "client_name")


def _filled(texts: Texts, columns: list[int], n: int) -> np.ndarray:
    """How many of the columns hold text, per row."""
    count = np.zeros(n, dtype=np.int32)
    for col in columns:
        count += ~missing(texts(col))
    return count


def _labels(cells: Text, rows: np.ndarray, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of rows (the positions of cells holding text), those reading as a total and those
    reading as a printed report's own line ('Page 2 of 3'; lines, those with a date or an
    amount, are none)."""
    if not len(rows):
        return rows, rows
    totals = reading_total(cells.take(pa.array(rows)), rows)
    alone = rows[~lines]
    lowered = pc.utf8_lower(as_arrow(cells).take(pa.array(alone)))
    pages = alone[mask(pc.match_substring_regex(lowered, PAGE_LINE))]
    return totals, pages


def _near(amounts: np.ndarray, sums: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Where an amount is the sum of count amounts, each rounded to the cent (as totals are
    recognised in skipped.py); an unreadable amount sums nothing."""
    slack = 0.005 * (1 + 3 * np.sqrt(count)) + 1e-9 * np.abs(sums)
    with np.errstate(invalid="ignore"):
        return np.isfinite(amounts) & (np.abs(amounts - sums) <= slack)


def group_column(table: pa.Table, layout: Layout) -> int | None:
    """The unmapped column holding clients as group rows, for a sheet mapping no client.

    Its cells are rows alone (the client's name, nothing else on the row), or total rows
    ('Total for Acme Ltd'); at least one such row is followed by a line with a date or an
    amount and nothing in that column. None when no column is so.
    """
    mapped = layout.mapping
    if any(f in mapped for f in _CLIENTS) or layout.header_index < 0:
        return None
    data = table.slice(layout.header_index + 1)
    n = data.num_rows
    marks = [mapped[f] for f in ("order_date", "revenue") if f in mapped]
    if n < 2 or not marks:
        return None
    cache: dict[int, Text] = {}

    def texts(col: int) -> Text:
        if col not in cache:
            cache[col] = clean_arrow(data.column(col))
        return cache[col]

    used = [c for c in range(data.num_columns) if data.column(c).null_count < n]
    count = _filled(texts, used, n)
    line = np.logical_or.reduce([~missing(texts(c)) for c in marks])
    taken = set(mapped.values())
    for col in used:
        if col in taken:
            continue
        cells = ~missing(texts(col))
        alone = cells & (count == 1)
        rest = np.flatnonzero(cells & ~alone)
        totals, _pages = _labels(texts(col), rest, line[rest])
        if len(totals) != len(rest):
            continue  # the column holds text beside other cells: a column of its own
        opens = np.flatnonzero(alone[:-1] & line[1:] & ~cells[1:])
        if len(opens):
            return col
    return None


def fill_groups(
    table: pa.Table, texts: Texts, layout: Layout
) -> tuple[pa.Table, np.ndarray, np.ndarray, str]:
    """The table with each line of a client's group given the client of its group row.

    Returns the table, the rows filled, the group rows that are no sale (to be skipped), and
    one group's client as an example. A group is trusted when its row
    holds the client alone, or the client and the sum of its lines without a date (1C), or when
    a total row closing it sums the group (Salesforce); other lines without a client are left
    to be rejected.
    """
    n = table.num_rows
    none = np.zeros(n, dtype=bool)
    mapped = layout.mapping
    clients = [mapped[f] for f in _CLIENTS if f in mapped]
    marks = [mapped[f] for f in ("order_date", "revenue") if f in mapped]
    if not clients or not marks or n < 2:
        return table, none, none, ""
    has_client = np.logical_or.reduce([~missing(texts(c)) for c in clients])
    line = np.logical_or.reduce([~missing(texts(c)) for c in marks])
    orphan = line & ~has_client
    if not orphan.any() or not has_client.any():
        return table, none, none, ""
    total, page = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for col in clients:
        rows = np.flatnonzero(~missing(texts(col)))
        totals, pages = _labels(texts(col), rows, line[rows])
        total[totals] = True
        page[pages] = True
    used = [c for c in range(table.num_columns) if table.column(c).null_count < n]
    count = _filled(texts, used, n)
    blank = count == 0
    opener = has_client & ~total & ~page
    # The latest opener or boundary (a total row, a blank row) above each row: a row belongs
    # to the group of the opener it finds, none when a boundary came since.
    at = np.arange(n)
    event = opener | total | blank
    last = np.maximum.accumulate(np.where(event, at, -1))
    head = np.where((last >= 0) & opener[np.maximum(last, 0)], last, -1)
    members = orphan & (head >= 0)
    if not members.any():
        return table, none, none, ""
    amounts = numbers(texts(mapped["revenue"])) if "revenue" in mapped else np.full(n, np.nan)
    values = np.where(np.isfinite(amounts), amounts, 0.0)
    groups = np.unique(head[members])
    # The sum of each group's lines (its opener apart), and the sum with the opener.
    lines_sum = np.bincount(head[members], weights=values[members], minlength=n)
    line_count = np.bincount(head[members], minlength=n)
    no_date = missing(texts(mapped["order_date"])) if "order_date" in mapped else np.ones(n, bool)
    client_cells = _filled(texts, clients, n)
    alone = count == client_cells
    summing = no_date & _near(amounts, lines_sum, line_count)
    # A total row closes the group of the row above it; it proves a group opened by a line of
    # its own when its amount is the sum of the opener and the lines.
    closed = np.zeros(n, dtype=bool)
    ends = np.flatnonzero(total[1:] & (head[:-1] >= 0)) + 1
    if len(ends):
        owner = head[ends - 1]
        near = _near(amounts[ends], lines_sum[owner] + values[owner], line_count[owner] + 1)
        closed[owner[near]] = True
    trusted = np.zeros(n, dtype=bool)
    trusted[groups] = alone[groups] | summing[groups] | closed[groups]
    fill = members & trusted[np.maximum(head, 0)]
    if not fill.any():
        return table, none, none, ""
    # The group rows that are no sale: the client alone, or its subtotal (a line of its own
    # opening a group that a total closes is a sale).
    group_rows = np.zeros(n, dtype=bool)
    kept = np.unique(head[fill])
    group_rows[kept] = alone[kept] | (summing[kept] & ~closed[kept])
    source = np.where(fill, head, at)
    for col in clients:
        column = _unlabelled(table.column(col), kept[alone[kept]])
        table = table.set_column(col, table.field(col), column.take(pa.array(source)))
    example = table.column(clients[-1])[int(kept[0])].as_py()
    return table, fill, group_rows, str(example or "").strip()


# A group row's label before the client ('Customer: Acme Ltd', 'לקוח: אלקטרה').
_LABELLED = re.compile(r"^\s*([^:：]{1,40})[:：]\s*(\S.*?)\s*$", re.DOTALL)


def _unlabelled(column: pa.ChunkedArray, rows: np.ndarray) -> pa.ChunkedArray:
    """The column with the group rows' label before the client taken off: 'Customer: Acme'
    names the client Acme."""
    if not len(rows):
        return column
    values = column.take(pa.array(rows)).to_pylist()
    changed = {}
    for row, value in zip(rows.tolist(), values, strict=True):
        found = _LABELLED.match(value) if isinstance(value, str) else None
        if found and match_label(found.group(1))[0] in _CLIENTS:
            changed[row] = found.group(2)
    if not changed:
        return column
    where = np.zeros(len(column), dtype=bool)
    where[list(changed)] = True
    values = pa.array([changed[row] for row in sorted(changed)], column.type)
    return pa.chunked_array([pc.replace_with_mask(column.combine_chunks(), where, values)])
