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
from kam_core.ingest.skipped import PAGE_LINE, reading_total, rounding_slack
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
    slack = rounding_slack(count, sums)
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
        if len(reading_total(texts(col).take(pa.array(rest)), rest)) != len(rest):
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
    one group's client as an example. A group is trusted when its row holds the client alone,
    or the client and the sum of its lines without a date (1C), or when a total row closing it
    sums the group (Salesforce); other lines without a client are left to be rejected.
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
    orphans = np.flatnonzero(line & ~has_client)
    if not len(orphans) or not has_client.any():
        return table, none, none, ""
    # Only the rows from each such line up to the client row above it are looked at, through
    # sorted lists of rows: a file of a million rows with one line missing its client pays
    # for two rows, not for arrays of a million.
    named = np.flatnonzero(has_client)

    def above(rows: np.ndarray) -> np.ndarray:
        """The client row above each row (-1 when none)."""
        at = np.searchsorted(named, rows) - 1
        return np.where(at >= 0, named[np.maximum(at, 0)], -1)

    head = _group_heads(texts, clients, line, above, above(orphans))
    member = head >= 0
    orphans, head = orphans[member], head[member]
    if not len(orphans):
        return table, none, none, ""
    groups, which, last_line = _groups(head, orphans)
    # Each group's rows, from its client row to its last line: groups do not overlap.
    lengths = last_line - groups + 1
    offsets = np.repeat(groups - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    looked = offsets + np.arange(int(lengths.sum()))
    used = [c for c in range(table.num_columns) if table.column(c).null_count < n]
    # The rows' own cells, cleaned here: cleaning whole columns for a few rows cost a quarter
    # of a second on a million rows.
    taken = pa.array(looked)
    count = _filled(lambda c: clean_arrow(table.column(c).take(taken)), used, len(looked))
    # A blank row between a group row and a line ends the group.
    blanks = looked[count == 0]
    after_blank = np.searchsorted(blanks, orphans) - 1
    member = after_blank < 0
    if len(blanks):
        member |= blanks[np.maximum(after_blank, 0)] < head
    if not member.all():
        orphans, head = orphans[member], head[member]
        if not len(orphans):
            return table, none, none, ""
        groups, which, last_line = _groups(head, orphans)
    # A total row closing a group: the first client row after its last line.
    nxt = np.searchsorted(named, last_line, side="right")
    ends_ok = nxt < len(named)
    ends = np.where(ends_ok, named[np.minimum(nxt, len(named) - 1)], -1)
    closing = np.zeros(len(groups), dtype=bool)
    if ends_ok.any():
        rows = ends[ends_ok]
        totals = np.zeros(len(rows), dtype=bool)
        for col in clients:
            cells = texts(col).take(pa.array(rows))
            filled_rows = np.flatnonzero(~missing(cells))
            totals[reading_total(cells.take(pa.array(filled_rows)), filled_rows)] = True
        closing[np.flatnonzero(ends_ok)[totals]] = True

    def amounts(rows: np.ndarray) -> np.ndarray:
        """The rows' amounts (NaN where unreadable or none)."""
        if "revenue" not in mapped:
            return np.full(len(rows), np.nan)
        return numbers(texts(mapped["revenue"]).take(pa.array(rows)))

    line_values, head_amounts = amounts(orphans), amounts(groups)
    end_amounts = amounts(np.maximum(ends, 0))
    line_values = np.where(np.isfinite(line_values), line_values, 0.0)
    lines_sum = np.bincount(which, weights=line_values, minlength=len(groups))
    line_count = np.bincount(which, minlength=len(groups))
    no_date = np.ones(len(groups), dtype=bool)
    if "order_date" in mapped:
        no_date = missing(texts(mapped["order_date"]).take(pa.array(groups)))
    client_cells = _filled(lambda c: texts(c).take(pa.array(groups)), clients, len(groups))
    alone = count[np.searchsorted(looked, groups)] == client_cells
    summing = no_date & _near(head_amounts, lines_sum, line_count)
    # A total row proves a group opened by a line of its own when its amount is the sum of
    # the opener and the lines.
    whole = lines_sum + np.where(np.isfinite(head_amounts), head_amounts, 0.0)
    closed = closing & _near(end_amounts, whole, line_count + 1)
    trusted = alone | summing | closed
    filled = orphans[trusted[which]]
    if not len(filled):
        return table, none, none, ""
    fill = np.zeros(n, dtype=bool)
    fill[filled] = True
    # The group rows that are no sale: the client alone, or its subtotal (a line of its own
    # opening a group that a total closes is a sale).
    group_rows = np.zeros(n, dtype=bool)
    group_rows[groups[trusted & (alone | (summing & ~closed))]] = True
    source = np.arange(n)
    source[filled] = head[trusted[which]]
    bare = groups[trusted & alone]
    for col in clients:
        column = _unlabelled(table.column(col), bare)
        table = table.set_column(col, table.field(col), column.take(pa.array(source)))
    first = int(groups[trusted][0])
    example = table.column(clients[-1])[first].as_py() or table.column(clients[0])[first].as_py()
    return table, fill, group_rows, str(example or "").strip()


def _groups(head: np.ndarray, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The group rows (sorted), each line's group among them, and each group's last line."""
    groups, which = np.unique(head, return_inverse=True)
    last_line = np.full(len(groups), -1)
    np.maximum.at(last_line, which, lines)
    return groups, which, last_line


def _group_heads(
    texts: Texts,
    clients: list[int],
    line: np.ndarray,
    above: Callable[[np.ndarray], np.ndarray],
    heads: np.ndarray,
) -> np.ndarray:
    """The group row of each line without a client: the client row above it, past a printed
    report's page lines ('Page 2 of 3'); -1 when that row is a total or none is above."""
    heads = heads.copy()
    for _round in range(5):  # page lines one after another are few
        rows = np.unique(heads[heads >= 0])
        if not len(rows):
            break
        total, page = np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool)
        for col in clients:
            cells = texts(col).take(pa.array(rows))
            filled = np.flatnonzero(~missing(cells))
            totals, pages = _labels(cells, filled, line[rows[filled]])
            total[totals] = True
            page[pages] = True
        heads[np.isin(heads, rows[total])] = -1
        paged = np.isin(heads, rows[page & ~total])
        if not paged.any():
            break
        heads[paged] = above(heads[paged])
    return heads


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


# An Excel pivot in tabular form writes a row label once, over its block, and closes the
# block with 'X Total' in the same column ('סה"כ X' in Hebrew, 'X Итог' in Russian).
_PIVOT_TOTAL = re.compile(r"^(?:(.+?)\s+(?:total|итог)|סה\"?כ\s+(.+))$", re.IGNORECASE)
_LABEL_FIELDS = ("manager", "region", "segment", "category")


def fill_pivot_labels(table: pa.Table, texts: Texts, layout: Layout) -> tuple[pa.Table, list[str]]:
    """The table with a pivot's row labels, written once over their block and closed by their
    'X Total' row, given to every row of the block; the columns so filled (as titles)."""
    filled: list[str] = []
    for fld in _LABEL_FIELDS:
        col = layout.mapping.get(fld)
        if col is None:
            continue
        raw = table.column(col)
        if 5 * raw.null_count < len(raw):
            continue  # labels on most rows: no pivot writing each once over its block
        cells = texts(col)
        hits = np.flatnonzero(
            mask(pc.match_substring_regex(cells, r"(?i)\s(?:total|итог)$|^סה\"?כ\s"))
        )
        if not len(hits):
            continue
        values = cells.to_pylist() if len(hits) else []
        source = np.arange(len(values))
        changed = False
        for end in hits.tolist():
            match = _PIVOT_TOTAL.match(values[end] or "")
            label = (match.group(1) or match.group(2)) if match else None
            start = end - 1
            while start >= 0 and values[start] is None:
                start -= 1
            if label is None or start < 0 or values[start] != label or start + 1 == end:
                continue
            source[start + 1 : end] = start
            changed = True
        if changed:
            column = table.column(col).take(pa.array(source))
            table = table.set_column(col, table.field(col), column)
            filled.append(layout.title(col))
    return table, filled
