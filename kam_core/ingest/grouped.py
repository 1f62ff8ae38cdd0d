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
from kam_core.ingest.text import Text, as_arrow, clean_arrow, may_hold

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


def _cleaned_columns(data: pa.Table) -> Texts:
    """A column's cells trimmed, blanks as nulls, cleaned once when first asked for."""
    cache: dict[int, Text] = {}

    def texts(col: int) -> Text:
        if col not in cache:
            cache[col] = clean_arrow(data.column(col))
        return cache[col]

    return texts


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
    texts = _cleaned_columns(data)

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
    # A group opened by a line of its own counts that line too: 'Acme Ltd (3)' over 2 more.
    sizes = line_count + (~alone & ~summing)
    for col in clients:
        column = _unlabelled(table.column(col), bare)
        column = _uncounted(column, groups[trusted], sizes[trusted])
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
        client = _client_of_label(value) if isinstance(value, str) else None
        if client is not None:
            changed[row] = client
    return _replaced(column, changed)


def _uncounted(column: pa.ChunkedArray, rows: np.ndarray, sizes: np.ndarray) -> pa.ChunkedArray:
    """The column with the count of its lines taken off each group row's client (without_count):
    Salesforce writes 'Acme Ltd (3)', and the next export's 'Acme Ltd (4)' was another client."""
    values = column.take(pa.array(rows)).to_pylist()
    changed = {}
    for row, value, size in zip(rows.tolist(), values, sizes.tolist(), strict=True):
        if isinstance(value, str) and value.rstrip().endswith(")"):
            kept = without_count(value.strip(), int(size))
            if kept != value.strip():
                changed[row] = kept
    return _replaced(column, changed)


def _replaced(column: pa.ChunkedArray, changed: dict[int, str]) -> pa.ChunkedArray:
    """The column with the cells of the rows in changed written as given."""
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


# A group row's count of its lines after the client: Salesforce's 'Acme Ltd (3 records)' or
# 'Acme Ltd (3)'.
_COUNTED = re.compile(
    r"^(.*\S)\s*\(\s*(\d{1,7})\s*(records?|rows?|items?|записей|записи|רשומות)?\s*\)$",
    re.IGNORECASE,
)


def without_count(value: str, lines: int) -> str:
    """A group row's client without the count of its lines: '(3 records)' always, '(3)' only
    where the group holds 3 lines (a client may be called 'Studio (2)')."""
    found = _COUNTED.match(value)
    if found and (found.group(3) or int(found.group(2)) == lines):
        return found.group(1)
    return value


def _client_of_label(value: str) -> str | None:
    """The client a group row names with its label ('Account Name: Acme Ltd'), else None."""
    found = _LABELLED.match(value)
    if found and match_label(found.group(1))[0] in _CLIENTS:
        return found.group(2)
    return None


def _header_again(table: pa.Table, texts: Texts, layout: Layout, written: list[str]) -> np.ndarray:
    """Rows repeating the header in half its mapped columns or more (two at least)."""
    n = table.num_rows
    mapped = [c for c in sorted(set(layout.mapping.values())) if c < len(written) and written[c]]
    hits = np.zeros(n, dtype=np.int32)
    for col in mapped:
        cells = pc.utf8_lower(texts(col))
        hits += mask(pc.equal(cells, written[col]))
    return hits >= max(2, (len(mapped) + 1) // 2)


def over_lines(
    table: pa.Table, texts: Texts, layout: Layout, col: int, written: list[str], above: str | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Group rows written over their lines in a column the lines use for something else.

    Salesforce's formatted and printable reports write 'Account Name: Acme Ltd (3 records)' on
    a row alone above each group, or the client alone above the header repeated for each
    group; the lines below name the opportunity in that column. Returns, per row, the group
    row whose client it takes (-1 for none; len(table) for above, the row over the header),
    and the group rows; None when the column holds no such rows.
    """
    n = table.num_rows
    # Cheap first: a label's colon somewhere in the column, or its header's label repeated.
    label = written[col] if col < len(written) else ""
    repeated = bool(label) and pc.any(pc.equal(pc.utf8_lower(texts(col)), label)).as_py()
    if not repeated and not may_hold(table.column(col), b":"):
        return None
    used = [c for c in range(table.num_columns) if table.column(c).null_count < n]
    cells = ~missing(texts(col))
    alone = cells & (_filled(texts, used, n) == 1)
    rows = np.flatnonzero(alone)
    if not len(rows):
        return None
    values = texts(col).take(pa.array(rows)).to_pylist()
    labelled = np.zeros(n, dtype=bool)
    labelled[[r for r, v in zip(rows.tolist(), values, strict=True) if _client_of_label(v)]] = True
    again = _header_again(table, texts, layout, written)
    over_header = np.zeros(n, dtype=bool)
    over_header[:-1] = alone[:-1] & again[1:]
    heads = labelled | over_header
    if not heads.any():
        return None
    # The row above the header opens the first group: labelled, or alone where the header is
    # repeated under the other groups' rows.
    first = above is not None and (
        _client_of_label(above) is not None or (above.strip() != "" and over_header.any())
    )
    marks = [layout.mapping[f] for f in ("order_date", "revenue") if f in layout.mapping]
    line = np.logical_or.reduce([~missing(texts(c)) for c in marks]) & ~heads & ~again
    at = np.arange(n)
    start = np.full(n, n if first else -1)
    group = np.maximum.accumulate(np.where(heads, at, -1))
    group = np.where(group >= 0, group, start)
    member = line & (group >= 0)
    # A subtotal or grand total keeps its label, to be skipped as a total.
    members = np.flatnonzero(member)
    member[reading_total(texts(col).take(pa.array(members)), members)] = False
    return np.where(member, group, -1), heads


def over_lines_column(table: pa.Table, layout: Layout) -> int | None:
    """The column of a sheet mapping no client whose group rows name the clients over lines
    that use the column for something else (over_lines), if one does."""
    if any(f in layout.mapping for f in _CLIENTS) or layout.header_index < 0:
        return None
    data = table.slice(layout.header_index + 1)
    n = data.num_rows
    if n < 2 or not any(f in layout.mapping for f in ("order_date", "revenue")):
        return None
    texts = _cleaned_columns(data)

    written = _written(table, layout.header_index)
    above = _written(table, layout.header_index - 1, lower=False)
    for col in range(data.num_columns):
        if data.column(col).null_count == n:
            continue
        over = over_lines(data, texts, layout, col, written, _alone(above, col))
        if over is not None and (over[0] >= 0).any():
            return col
    return None


def _written(table: pa.Table, row: int, lower: bool = True) -> list[str]:
    """A row's cells trimmed (in lower case unless asked), '' for blanks; none off the sheet."""
    if row < 0 or row >= table.num_rows:
        return []
    values = table.slice(row, 1).to_pylist()[0].values()
    cells = ["" if v is None else str(v).strip() for v in values]
    return [c.lower() for c in cells] if lower else cells


def _alone(cells: list[str], col: int) -> str | None:
    """The cell of col when it is the row's only filled one, else None."""
    if col >= len(cells) or not cells[col] or sum(1 for c in cells if c) != 1:
        return None
    return cells[col]


def fill_over_lines(
    table: pa.Table, texts: Texts, layout: Layout, written: list[str], above: list[str]
) -> tuple[pa.Table, np.ndarray, np.ndarray, str]:
    """The table with each line given the client of the group row over it, where the client's
    column was chosen for such rows (its label names no client); as fill_groups returns.

    written: the header's cells in lower case; above: the cells of the row over the header.
    """
    n = table.num_rows
    none = np.zeros(n, dtype=bool)
    col = layout.mapping.get("client_name")
    # Cheap first: only a client column whose label names no client can be one.
    if col is None or "client_id" in layout.mapping or n < 2:
        return table, none, none, ""
    if col < len(layout.columns) and match_label(layout.columns[col])[0] in _CLIENTS:
        return table, none, none, ""
    first = _alone(above, col)
    over = over_lines(table, texts, layout, col, written, first)
    if over is None or not (over[0] >= 0).any():
        return table, none, none, ""
    source, heads = over
    head_rows = np.flatnonzero(heads)
    values = [*texts(col).take(pa.array(head_rows)).to_pylist(), first or ""]
    sizes = np.bincount(np.where(source >= 0, source, n + 1), minlength=n + 2)
    clients = []
    for row, value in zip([*head_rows.tolist(), n], values, strict=True):
        client = _client_of_label(value) or value
        clients.append(without_count(client, int(sizes[row])))
    index = np.full(n + 1, -1)
    index[head_rows] = np.arange(len(head_rows))
    index[n] = len(head_rows)
    filled = source >= 0
    picks = np.zeros(n, dtype=np.int64)
    picks[filled] = index[source[filled]]
    names = pa.array(clients, table.field(col).type)
    raw = table.column(col).combine_chunks()
    column = pc.if_else(pa.array(filled), names.take(pa.array(picks)), raw)
    table = table.set_column(col, table.field(col), column)
    return table, filled, heads, clients[0] if clients else ""


def one_line_counts(table: pa.Table, texts: Texts, layout: Layout) -> tuple[pa.Table, bool]:
    """The table with the count taken off a client of a group of one line: 'Beta GmbH (1)' on
    a line that a subtotal closes (a grouping column's group of one has no group row or merge
    to tell it by); whether any was."""
    for fld in _CLIENTS:
        col = layout.mapping.get(fld)
        # Cheap first: the text buffers hold no '(1' at all in most columns.
        if col is None or not may_hold(table.column(col), b"(1"):
            continue
        cells = texts(col)
        ones = np.flatnonzero(mask(pc.match_substring_regex(cells, _ONE)))
        ones = ones[ones + 1 < len(cells)]
        if not len(ones):
            continue
        closed = reading_total(cells.take(pa.array(ones + 1)), ones)
        if not len(closed):
            continue
        values = [without_count(v, 1) for v in cells.take(pa.array(closed)).to_pylist()]
        where = np.zeros(len(cells), dtype=bool)
        where[closed] = True
        column = pc.replace_with_mask(
            table.column(col).combine_chunks(),
            pa.array(where),
            pa.array(values, table.field(col).type),
        )
        return table.set_column(col, table.field(col), column), True
    return table, False


_ONE = r"\S\s*\(\s*1\s*(?:records?|rows?|items?|записей|записи|רשומות)?\s*\)$"
