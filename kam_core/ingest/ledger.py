"""Ledgers writing each row's amount in one of two columns, Debit or Credit.

A customer's ledger (an accounting system's receivables export) writes invoices as debits and
credit notes and payments as credits; a ledger of the sales account writes sales as credits
and returns as debits. Which side holds the sales is told by the rows a document-type column
names as sales; payments among the credits are then left out by that column (credits.py).
Without such a column nothing tells the sides apart, and the refusal names the two columns.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc

from kam_core.i18n import _
from kam_core.ingest.credits import sale_kinds, type_column
from kam_core.ingest.fields import normalise_label
from kam_core.ingest.grid import SheetGrid
from kam_core.ingest.header import Layout
from kam_core.ingest.text import clean_arrow

# The two sides' labels, with a currency code after them ('Debit ILS', 'Credit (EUR)').
_DEBIT = re.compile(
    r"^(?:debit|debits|dr|debit amount|amount debit|debit amt|débit|debe|soll|חובה|дебет|"
    r"сумма дебет|оборот дт|дт)(?: [a-z]{3})?$"
)
_CREDIT = re.compile(
    r"^(?:credit|credits|cr|credit amount|amount credit|credit amt|crédit|haber|haben|זכות|"
    r"кредит|сумма кредит|оборот кт|кт)(?: [a-z]{3})?$"
)
# An empty side: nothing, a dash or a zero ('0', '0.00', '-0,00').
_NOTHING = r"^[-+–—]?0*(?:[.,]0*)?$"
_MOST_KINDS = 200  # a column of more kinds names no documents


def two_sides(layout: Layout) -> tuple[int, int] | None:
    """The columns of a ledger's debits and of its credits, one each, no field mapped to
    either; else None."""
    mapped = set(layout.mapping.values())
    labels = [(c, normalise_label(text)) for c, text in enumerate(layout.columns)]
    debits = [c for c, label in labels if c not in mapped and _DEBIT.match(label)]
    credits = [c for c, label in labels if c not in mapped and _CREDIT.match(label)]
    return (debits[0], credits[0]) if len(debits) == 1 == len(credits) else None


def _filled(cells: pa.Array) -> pa.Array:
    """Per cell: an amount stands in it (no blank, dash or zero)."""
    empty = pc.fill_null(pc.match_substring_regex(cells, _NOTHING), True)
    return pc.invert(empty)


def ledger_layout(grid: SheetGrid, layout: Layout) -> tuple[Layout, str] | None:
    """The layout reading revenue from a ledger's two sides (the sales' side less the other),
    with a note saying so, when a document-type column tells the sales' side; else None."""
    if "revenue" in layout.mapping or layout.header_index < 0:
        return None
    sides = two_sides(layout)
    kind = type_column(layout)
    if sides is None or kind is None:
        return None
    below = grid.table.slice(layout.header_index + 1)
    kinds = clean_arrow(below.column(kind))
    distinct = pc.unique(kinds).drop_null()
    if len(distinct) > _MOST_KINDS:
        return None
    sales = sale_kinds(distinct.to_pylist())
    if not sales:
        return None
    is_sale = pc.fill_null(pc.is_in(kinds, value_set=pa.array(sales, kinds.type)), False)
    debit, credit = (_filled(clean_arrow(below.column(col))) for col in sides)
    # A sale with an amount on one side alone (a row with both is rejected by itself).
    on = [
        pc.sum(pc.and_(is_sale, pc.and_(one, pc.invert(other)))).as_py() or 0
        for one, other in ((debit, credit), (credit, debit))
    ]
    if bool(on[0]) == bool(on[1]):
        return None  # sales on neither side, or on both: nothing tells
    sale, other = sides if on[0] else sides[::-1]
    mapping = {**layout.mapping, "revenue": sale}
    note = _(
        "{sale} and {other}: each row's amount stands in one of the two columns, and the sales "
        "('{kind}') stand in {sale}; revenue was read as {sale} less {other}, so credit notes "
        "are taken off, and payments, named so in {type}, left out."
    ).format(
        sale=layout.title(sale), other=layout.title(other), kind=sales[0], type=layout.title(kind)
    )
    return replace(layout, mapping=mapping, ledger=(sale, other)), note


def sides_joined(table: pa.Table, layout: Layout) -> pa.Table:
    """The table with the sales' side holding each row's amount: the other side's, negative,
    where only that one holds one ('200.00' credited: '-200.00'). A row holding amounts on
    both sides shows both, and is rejected as no amount."""
    if layout.ledger is None or layout.mapping.get("revenue") != layout.ledger[0]:
        return table
    sale, other = layout.ledger
    ours, theirs = clean_arrow(table.column(sale)), clean_arrow(table.column(other))
    mine, taken = _filled(ours), _filled(theirs)
    negative = pc.binary_join_element_wise("-", theirs, "")
    both = pc.binary_join_element_wise(ours, " - ", theirs, "")
    cells = pc.if_else(
        taken, pc.if_else(mine, both, negative), pc.if_else(mine, ours, pa.scalar(None, ours.type))
    )
    return table.set_column(
        sale, table.schema.field(sale), cells.cast(table.schema.field(sale).type)
    )
