"""A web shop's order written a line item a row, its amounts on the first row alone.

Shopify's orders export repeats the order's Name (#1001) on every line item, and fills the
order's own fields (Financial Status, Subtotal, Total, Billing Name) on its first row only. The
order's Subtotal, read once, is its revenue; the rows below were rejected for a missing amount,
and their quantities were lost.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow.compute as pc

from kam_core.ingest.fields import normalise_label
from kam_core.ingest.header import Layout
from kam_core.ingest.text import Text

# Labels of the line item's own columns, beside the order's 'Name'.
_LINE_LABELS = frozenset({"lineitem quantity", "lineitem price", "lineitem name"})


def order_lines(texts: Callable[[int], Text], n: int, layout: Layout) -> np.ndarray:
    """Per row: the row of its order that holds the amount, where the row is a further line
    item of that order (its Name repeated, its amount blank), else -1."""
    none = np.full(n, -1, dtype=np.int64)
    labels = [normalise_label(label) for label in layout.columns]
    revenue = layout.mapping.get("revenue")
    # The labels decide first: any other file costs nothing.
    if revenue is None or len(_LINE_LABELS.intersection(labels)) < 2 or "name" not in labels:
        return none
    order = labels.index("name")
    # The Name is the order's number (mapped so or not), not a client's or a product's name.
    if any(col == order and fld != "order_id" for fld, col in layout.mapping.items()):
        return none
    names = texts(order)
    amount = ~np.asarray(texts(revenue).is_null(), dtype=bool)
    named = ~np.asarray(names.is_null(), dtype=bool)
    at = np.arange(n)
    # The last row above (or the row itself) holding an amount and an order's name.
    head = np.maximum.accumulate(np.where(amount & named, at, -1))
    later = ~amount & named & (head >= 0)
    if not later.any():
        return none
    rows = np.flatnonzero(later)
    same = pc.fill_null(pc.equal(names.take(rows), names.take(head[rows])), False)
    none[rows[np.asarray(same, dtype=bool)]] = head[rows[np.asarray(same, dtype=bool)]]
    return none
