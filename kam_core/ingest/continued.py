"""An invoice's lines whose number, date and client are written on its first line only.

Printed reports saved to Excel ('sales by invoice', Crystal Reports' and Access' "suppress if
duplicated", Priority's document reports) write a document's number, date and client once and
leave them blank on the lines below, which hold a product, a quantity and an amount. Such lines
were taken for totals (an amount without a date or client) and skipped without a word, or
rejected for a missing client.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.credits import type_column
from kam_core.ingest.header import Layout, currency_column
from kam_core.ingest.parse import numbers
from kam_core.ingest.skipped import reading_total
from kam_core.ingest.text import Text

Texts = Callable[[int], Text]  # a column's cells trimmed, blanks as nulls

# A document's own fields, written once on its first line; the line's own (product, quantity,
# amounts, category) are never filled.
DOCUMENT_FIELDS = (
    "order_id", "order_date", "client_id", "client_name", "manager", "region", "segment",
    "due_date", "ship_date",
)  # fmt: skip


def _empty(texts: Texts, col: int) -> np.ndarray:
    return np.asarray(texts(col).is_null(), dtype=bool)


def continued_lines(texts: Texts, n: int, layout: Layout) -> np.ndarray:
    """The rows that continue the document above them, by their cells alone."""
    none = np.zeros(n, dtype=bool)
    mapped = layout.mapping
    clients = [mapped[f] for f in ("client_id", "client_name") if f in mapped]
    # The document's number, or else its date, must be blank too: a line of its own without a
    # client (a walk-in sale at a till) keeps its number and is rejected, not filled.
    marker = mapped.get("order_id", mapped.get("order_date"))
    if not clients or marker is None or "product" not in mapped or "revenue" not in mapped:
        return none
    no_client = np.logical_and.reduce([_empty(texts, c) for c in clients])
    if no_client.sum() < 2:
        return none  # most files: every line names its client
    line = ~_empty(texts, mapped["product"]) & ~_empty(texts, mapped["revenue"])
    cont = line & no_client & _empty(texts, marker)
    if cont.sum() < 2:
        return none
    # A subtotal's label where the product goes ('Subtotal', 'Invoice 1001 total').
    rows = np.flatnonzero(cont)
    cont[reading_total(texts(mapped["product"]).take(pa.array(rows)), rows)] = False
    if cont.sum() < 2:
        return none  # one such line is a line without a client, not a layout
    # Each run of such lines follows its document's first line: a line with its client.
    head = np.flatnonzero(~cont)
    group = np.cumsum(~cont) - 1
    opened = group >= 0
    first = line & ~no_client
    heads = head[np.maximum(group, 0)]
    cont &= opened & first[heads]
    date = mapped.get("order_date")
    if date is not None and date != marker:
        # A line of the document has its date or none: a line dated otherwise without a
        # client is a sale of its own (a walk-in at a till, a deal without a company).
        dates = texts(date)
        same = pc.fill_null(pc.equal(dates, dates.take(pa.array(heads))), False)
        cont &= _empty(texts, date) | np.asarray(same, dtype=bool)
    # A line summing the lines above is a subtotal only without a quantity of its own (Widget
    # C, 2 at 100, sums Widget A and B at 100 each and is a line).
    if "quantity" in mapped:
        bare = cont & _empty(texts, mapped["quantity"])
        cont &= ~_subtotals(numbers(texts(mapped["revenue"])), cont, heads, bare)
    return cont if cont.sum() >= 2 else none


def _subtotals(
    values: np.ndarray, cont: np.ndarray, heads: np.ndarray, candidates: np.ndarray
) -> np.ndarray:
    """The candidate continuing lines whose amount is the sum of their document's lines above."""
    found = np.zeros(len(cont), dtype=bool)
    running: dict[int, float] = {}
    for at in np.flatnonzero(cont).tolist():
        head = int(heads[at])
        above = running.get(head, float(values[head]) if np.isfinite(values[head]) else 0.0)
        value = float(values[at]) if np.isfinite(values[at]) else 0.0
        if candidates[at] and at - head > 1 and abs(value - above) <= 0.005 * (at - head):
            found[at] = True
            continue
        running[head] = above + value
    return found


def _document_columns(layout: Layout) -> list[int]:
    """The unmapped columns a document states once for its lines: its type (a credit note's
    lines are the credit note's) and its currency."""
    return [col for col in (type_column(layout), currency_column(layout)) if col is not None]


def fill_continued(table: pa.Table, texts: Texts, layout: Layout) -> tuple[pa.Table, np.ndarray]:
    """The table with each continuing line's blank document fields taken from its first line;
    the rows filled."""
    cont = continued_lines(texts, table.num_rows, layout)
    if not cont.any():
        return table, cont
    head = np.flatnonzero(~cont)[np.cumsum(~cont) - 1]
    source = np.where(cont, head, np.arange(table.num_rows))
    columns = [layout.mapping[fld] for fld in DOCUMENT_FIELDS if fld in layout.mapping]
    for col in [*columns, *_document_columns(layout)]:
        column = table.column(col)
        take = np.where(cont & _empty(texts, col), source, np.arange(table.num_rows))
        table = table.set_column(col, table.field(col), column.take(pa.array(take)))
    return table, cont
